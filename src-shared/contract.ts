// The one IPC contract: every channel the renderer may call, its argument schema (zod, checked in
// main for every call) and its result type. Main, preload, web server and renderer all import it,
// so a channel cannot drift between the Electron bridge and the browser-mode HTTP route.
import { z } from 'zod';
import type { Counts, Detection, DetectionResult } from './result.js';
import { DetectionSchema } from './result.js';
import { SettingsPatchSchema, SecretNameSchema, type SettingsView } from './settings-types.js';

export type EngineName = 'local' | 'cloud';
export type DocStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled';
export interface ErrorInfo {
  code: string;
  message: string;
}

export interface DocumentSummary {
  id: string;
  name: string;
  path: string;
  status: DocStatus;
  /** Page count once the file was decoded. */
  pages: number | null;
  /** Counts at the default conf (settings), corrected detections included. */
  counts: Counts | null;
  engine: EngineName | null;
  elapsedMs: number | null;
  error: ErrorInfo | null;
  /** The batch it was opened in (BatchStatus.batch); 0 before any. */
  batch: number;
  /** While running in the cloud: the latest retry ("Retrying page 2 after HTTP 503 (attempt 2 of 4)"). */
  notice: string | null;
}

export interface BatchStatus {
  /** Increases with every snapshot: events and call answers can arrive out of order. */
  seq: number;
  running: boolean;
  /** The latest batch (files opened together): total, finished and the batch table count its files only. */
  batch: number;
  total: number;
  finished: number;
  current: { id: string; name: string } | null;
  etaMs: number | null;
  items: DocumentSummary[];
}

export interface PageImage {
  width: number;
  height: number;
  mime: string;
  data: Uint8Array;
}

export interface ModelSummaryView {
  name: string;
  version: string;
  imgsz: [number, number];
  classes: string[];
  path: string;
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'web';
  /** The conf the model runs at; the UI slider only filters above it. */
  floorConf: number;
  model: ModelSummaryView | null;
  modelError: ErrorInfo | null;
}

export interface ExportOutcome {
  dir: string;
  files: string[];
}

export interface ConnectionTest {
  ok: boolean;
  latencyMs: number;
  message: string;
}

const id = z.string().min(1).max(200);
const page = z.number().int().min(1).max(100_000);
const none = z.object({}).strict().optional();

export const FileRefSchema = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ uploadId: z.string().regex(/^[a-f0-9-]{8,64}$/) }).strict(),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

/** answers: one CSV row per box with its question and option (src-shared/csv.ts). */
export const ExportFormatSchema = z.enum(['png', 'jpeg', 'json', 'csv', 'answers', 'yolo']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportRequestSchema = z
  .object({
    scope: z.enum(['page', 'document', 'batch']),
    docId: id.optional(),
    page: page.optional(),
    formats: z.array(ExportFormatSchema).min(1).max(ExportFormatSchema.options.length),
    /** Detections under this conf are left out unless a person corrected them. */
    conf: z.number().min(0).max(1),
    /** Target folder; when absent the service picks one under the profile (browser mode). */
    dir: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine((r) => r.scope === 'batch' || r.docId !== undefined, {
    message: 'docId is required for this scope',
  })
  .refine((r) => r.scope !== 'page' || r.page !== undefined, { message: 'page is required for page scope' });
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

/** A phantom marker carrying a channel's result type. */
function returns<T>(): T {
  return undefined as T;
}

export const contract = {
  getAppInfo: { channel: 'app:info', args: none, result: returns<AppInfo>() },
  getStats: { channel: 'app:stats', args: none, result: returns<{ inferences: number; pages: number }>() },
  getSettings: { channel: 'settings:get', args: none, result: returns<SettingsView>() },
  updateSettings: { channel: 'settings:update', args: SettingsPatchSchema, result: returns<SettingsView>() },
  setSecret: {
    channel: 'settings:set-secret',
    args: z.object({ name: SecretNameSchema, value: z.string().max(4096).nullable() }).strict(),
    result: returns<SettingsView>(),
  },
  chooseModel: {
    channel: 'settings:choose-model',
    args: z.object({ path: z.string().min(1).max(4096).nullable() }).strict(),
    result: returns<SettingsView>(),
  },
  testConnection: { channel: 'cloud:test', args: none, result: returns<ConnectionTest>() },
  openFiles: {
    channel: 'docs:open',
    args: z.object({ files: z.array(FileRefSchema).min(1).max(5000) }).strict(),
    result: returns<DocumentSummary[]>(),
  },
  openRecent: {
    channel: 'docs:open-recent',
    args: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: returns<DocumentSummary[]>(),
  },
  listDocuments: { channel: 'docs:list', args: none, result: returns<DocumentSummary[]>() },
  closeDocument: { channel: 'docs:close', args: z.object({ docId: id }).strict(), result: returns<null>() },
  getResults: {
    channel: 'docs:results',
    args: z.object({ docId: id }).strict(),
    result: returns<DetectionResult[]>(),
  },
  getPageImage: {
    channel: 'docs:page-image',
    args: z.object({ docId: id, page }).strict(),
    result: returns<PageImage>(),
  },
  saveEdits: {
    channel: 'docs:save-edits',
    args: z.object({ docId: id, page, detections: z.array(DetectionSchema).max(100_000) }).strict(),
    result: returns<Counts>(),
  },
  rerun: {
    channel: 'docs:rerun',
    args: z
      .object({ docIds: z.array(id).min(1).max(5000), engine: z.enum(['local', 'cloud']).optional() })
      .strict(),
    result: returns<DocumentSummary[]>(),
  },
  getBatch: { channel: 'batch:status', args: none, result: returns<BatchStatus>() },
  cancelBatch: { channel: 'batch:cancel', args: none, result: returns<BatchStatus>() },
  exportResults: { channel: 'export:run', args: ExportRequestSchema, result: returns<ExportOutcome>() },
  // Native dialogs exist only in the Electron shell; browser mode uses file inputs and downloads.
  showOpenFiles: { channel: 'dialog:open-files', args: none, result: returns<DocumentSummary[]>() },
  showOpenFolder: { channel: 'dialog:open-folder', args: none, result: returns<DocumentSummary[]>() },
  showExportDir: { channel: 'dialog:export-dir', args: none, result: returns<string | null>() },
  showModelFile: { channel: 'dialog:model-file', args: none, result: returns<SettingsView | null>() },
  openExternal: {
    channel: 'shell:open-external',
    args: z.object({ url: z.string().url().max(2000) }).strict(),
    result: returns<null>(),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type ArgsOf<M extends Method> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends Method> = z.output<Contract[M]['args']>;
export type ResultOf<M extends Method> = Contract[M]['result'];

export type IpcResponse<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The typed API the renderer sees, identical over the preload bridge and over HTTP. */
export type Api = { [M in Method]: (args?: ArgsOf<M>) => Promise<ResultOf<M>> };

/** Events main pushes to the renderer (progress, menu commands). */
export interface EventMap {
  'batch:progress': BatchStatus;
  'menu:command': { command: MenuCommand };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['batch:progress', 'menu:command'];
export type MenuCommand = 'open-files' | 'open-folder' | 'export' | 'settings' | 'undo' | 'redo' | 'shortcuts';

export type { Detection, DetectionResult, Counts, SettingsView };
