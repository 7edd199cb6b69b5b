// One typed `api` for both shells: the Electron preload bridge, or fetch to the browser-mode server.
// Native dialogs exist only in Electron; in the browser, file inputs upload and exports download.
import {
  contract,
  type Api,
  type DocumentSummary,
  type EventMap,
  type EventName,
  type ExportOutcome,
  type IpcResponse,
  type Method,
} from '../../../src-shared/contract';
import { decodeWire } from '../../../src-shared/wire';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the preload script exposes (see src-main/preload.ts). */
export interface Bridge {
  calls: { [M in Method]: (args?: unknown) => Promise<IpcResponse> };
  on(name: EventName, fn: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    checkboxBridge?: Bridge;
  }
}

export interface Platform {
  kind: 'electron' | 'web';
  api: Api;
  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void): () => void;
  /** Files dropped or picked in the page. */
  openDropped(files: File[]): Promise<DocumentSummary[]>;
  /** Electron: the folder for an export (null = cancelled). Browser: undefined, the server picks. */
  exportDir(): Promise<string | null | undefined>;
  /** Browser: hand the exported files to the user as downloads. */
  deliver(outcome: ExportOutcome): void;
}

function unwrap<T>(r: IpcResponse): T {
  if (r.ok) return r.value as T;
  throw new ApiError(r.error.code, r.error.message);
}

function buildApi(call: (method: Method, args: unknown) => Promise<IpcResponse>): Api {
  const api = {} as Record<Method, (args?: unknown) => Promise<unknown>>;
  for (const m of Object.keys(contract) as Method[]) api[m] = async (args) => unwrap(await call(m, args));
  return api as unknown as Api;
}

function electronPlatform(bridge: Bridge): Platform {
  const api = buildApi((m, args) => bridge.calls[m](args));
  return {
    kind: 'electron',
    api,
    on: (name, fn) => bridge.on(name, fn as (p: unknown) => void),
    openDropped: (files) => api.openFiles({ files: files.map((f) => ({ path: bridge.pathForFile(f) })) }),
    exportDir: () => api.showExportDir(),
    deliver: () => undefined,
  };
}

/** Browser mode's per-launch API token: it arrives in the URL the server printed, is kept for reloads of
 *  this tab and taken out of the address bar (and so out of history and screenshots). */
function launchToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('checkbox-token', fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.href);
  }
  return fromUrl ?? sessionStorage.getItem('checkbox-token') ?? '';
}

function webPlatform(): Platform {
  const token = launchToken();
  const withToken = (path: string) =>
    `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  const api = buildApi(async (m, args) => {
    const res = await fetch(`/ipc/${encodeURIComponent(contract[m].channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-checkbox-token': token },
      body: args === undefined ? '' : JSON.stringify(args),
    });
    return decodeWire<IpcResponse>(await res.text());
  });
  const source = new EventSource(withToken('/events'));
  return {
    kind: 'web',
    api,
    on(name, fn) {
      const listener = (e: MessageEvent<string>) => fn(JSON.parse(e.data));
      source.addEventListener(name, listener);
      return () => source.removeEventListener(name, listener);
    },
    async openDropped(files) {
      const refs = [];
      for (const f of files) {
        const res = await fetch(`/upload?name=${encodeURIComponent(f.name)}`, {
          method: 'POST',
          headers: { 'x-checkbox-token': token },
          body: f,
        });
        refs.push(unwrap<{ uploadId: string }>(decodeWire<IpcResponse>(await res.text())));
      }
      return api.openFiles({ files: refs });
    },
    exportDir: async () => undefined,
    deliver(outcome) {
      for (const path of outcome.files) {
        const a = document.createElement('a');
        a.href = withToken(`/download?path=${encodeURIComponent(path)}`);
        a.download = path.split(/[\\/]/).pop() ?? 'export';
        document.body.append(a);
        a.click();
        a.remove();
      }
    },
  };
}

export const platform: Platform = window.checkboxBridge
  ? electronPlatform(window.checkboxBridge)
  : webPlatform();
