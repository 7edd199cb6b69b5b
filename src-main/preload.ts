// Preload (sandboxed, bundled as CommonJS): exposes one named function per contract method and a
// subscription for the contract's events — never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, contract, type EventName, type Method } from '../src-shared/contract.js';

const calls = Object.fromEntries(
  (Object.keys(contract) as Method[]).map((m) => {
    const channel = contract[m].channel;
    return [m, (args?: unknown) => ipcRenderer.invoke(channel, args)];
  }),
);

contextBridge.exposeInMainWorld('checkboxBridge', {
  calls,
  on(name: EventName, fn: (payload: unknown) => void): () => void {
    if (!EVENT_NAMES.includes(name)) throw new Error(`Unknown event: ${String(name)}`);
    const listener = (_e: IpcRendererEvent, payload: unknown) => fn(payload);
    ipcRenderer.on(name, listener);
    return () => ipcRenderer.removeListener(name, listener);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
