// Validated IPC: one entry point for every call, from Electron's ipcMain and from the browser-mode
// HTTP route alike. It checks the sender (only the app's own page may call), the channel, and the
// arguments (zod), and always answers {ok:true,value} | {ok:false,error:{code,message}}.
import { z } from 'zod';
import { toCheckboxError } from '../../src-shared/errors.js';
import { contract, type IpcResponse, type Method, type ParsedArgsOf, type ResultOf } from '../../src-shared/contract.js';

export type Handler<M extends Method> = (args: ParsedArgsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in Method]?: Handler<M> };

const METHOD_BY_CHANNEL = new Map<string, Method>(
  (Object.keys(contract) as Method[]).map((m) => [contract[m].channel, m]),
);

export function methodForChannel(channel: string): Method | undefined {
  return METHOD_BY_CHANNEL.get(channel);
}

export class IpcDispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly isTrustedSender: (senderUrl: string) => boolean,
  ) {}

  async handle(channel: string, rawArgs: unknown, senderUrl: string | undefined): Promise<IpcResponse> {
    if (senderUrl === undefined || !this.isTrustedSender(senderUrl)) {
      return fail('forbidden_sender', 'This call did not come from the app’s own page.');
    }
    const method = METHOD_BY_CHANNEL.get(channel);
    const handler = method && (this.handlers[method] as Handler<Method> | undefined);
    if (!method || !handler) return fail('unknown_channel', `No such call here: ${channel}`);
    const parsed = contract[method].args.safeParse(rawArgs ?? undefined);
    if (!parsed.success) return fail('invalid_argument', z.prettifyError(parsed.error));
    try {
      return { ok: true, value: await handler(parsed.data as never) };
    } catch (err) {
      const e = toCheckboxError(err);
      return fail(e.code, e.message);
    }
  }
}

function fail(code: string, message: string): IpcResponse {
  return { ok: false, error: { code, message } };
}

/**
 * A sender check for the app's own page: one of the given origins — app://renderer (the desktop
 * app), the dev server, browser mode's own http origin. Anything else — another site, a data: or
 * file: URL — is refused. (Node gives custom schemes the opaque origin "null": compare scheme and host.)
 */
export function appSenderCheck(opts: { origins: string[] }): (url: string) => boolean {
  const origins = new Set(opts.origins);
  return (raw) => {
    try {
      const url = new URL(raw);
      return url.host !== '' && origins.has(`${url.protocol}//${url.host}`);
    } catch {
      return false;
    }
  };
}
