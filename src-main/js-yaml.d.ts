// js-yaml ships with electron-updater (which reads the same feed files); only `load` is used here.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
