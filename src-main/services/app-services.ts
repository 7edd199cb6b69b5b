// Composes the plain-Node services into the handlers of the IPC contract. Both shells (Electron's
// ipc-main and the browser-mode web server) build exactly this, so they serve identical behaviour.
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { CheckboxError, toCheckboxError } from '../../src-shared/errors.js';
import type { DetectionResult, TextMode } from '../../src-shared/result.js';
import type {
  AppInfo,
  DocumentSummary,
  EngineName,
  EventMap,
  EventName,
  FileRef,
  ModelSummaryView,
} from '../../src-shared/contract.js';
import type { Handlers } from '../ipc/dispatcher.js';
import type { CloudSettings, Settings } from '../../src-shared/settings-types.js';
import { BatchQueue } from './batch-queue.js';
import { DocumentStore, type Doc } from './documents.js';
import { ExportService } from './exports.js';
import { listImageFiles } from '../../src-core/files.js';
import { ocrLanguage } from '../../src-core/text/ocr-language.js';
import { hasImageExtension } from '../../src-shared/formats.js';
import { UploadStore } from './files.js';
import { PathGrants } from './path-grants.js';
import { importPendingSecrets, type SecretStore } from './secrets.js';
import type { KeyValueStore } from './settings.js';
import { SettingsService } from './settings.js';
import { DetectorPool } from '../../src-core/detector-pool.js';
import { sniffImageType } from '../../src-core/image.js';
import { splitPages, type FilePages } from '../../src-core/cloud/client.js';

/** The model runs once at this floor; the UI slider only filters above it. */
export const FLOOR_CONF = 0.05;

/** One file for the cloud as the app sends it (the wire request of one page is src-core/cloud/transport.ts's CloudRequest). */
export interface CloudFileJob {
  /** The file, or (a PDF or TIFF) its page uploads made on a pool worker. */
  file: Uint8Array | FilePages;
  source: string;
  conf: number;
  dpi: number;
  /** Labels and questions, read on the server as the local engine reads them. */
  text: TextOptions;
  settings: CloudSettings;
  apiKey: string | null;
  signal: AbortSignal;
  /** Told of each retry, in words for the batch table. */
  onRetry?: (message: string) => void;
}

/** The cloud client as the app uses it (src-core/cloud/client.ts behind it). */
export interface CloudPort {
  /** Requests it keeps in flight with these settings: a cloud batch runs that many files at once. */
  inFlight(settings: CloudSettings): number;
  detect(req: CloudFileJob): Promise<DetectionResult[]>;
  test(
    req: Omit<CloudFileJob, 'file' | 'source' | 'conf' | 'dpi' | 'text' | 'onRetry'>,
  ): Promise<{ latencyMs: number; message: string }>;
}

export interface TextOptions {
  text: TextMode;
  lang?: string;
}

/** Each box's label and question (Settings > Detection; the text layer of PDFs by default). */
const textOptions = (s: Settings): TextOptions => ({
  text: s.text,
  ...(s.text === 'auto' || s.text === 'ocr' ? { lang: s.ocrLang } : {}),
});

export interface AppServicesOptions {
  profileDir: string;
  shell: 'electron' | 'web';
  version: string;
  settingsStore: KeyValueStore;
  secrets: SecretStore;
  cloud: CloudPort;
  emit: <E extends EventName>(name: E, payload: EventMap[E]) => void;
  /** Browser mode: only uploaded files may be opened by path. */
  pathsFromUploadsOnly: boolean;
}

const PAGE_CACHE_SIZE = 8;
/** A batch keeps every core busy: one detect worker per core (at most 4, each a model in memory), the cores
 *  shared out as their inference threads. A file opened alone gets every core (a long PDF included). */
const DETECT_WORKERS = Math.min(os.availableParallelism(), 4);
const BATCH_THREADS = Math.max(1, Math.floor(os.availableParallelism() / DETECT_WORKERS));

export class AppServices {
  readonly settings: SettingsService;
  readonly docs = new DocumentStore();
  readonly queue: BatchQueue;
  readonly uploads: UploadStore;
  readonly exportsRoot: string;
  /** Export folders: under the profile's exports/, or picked in the export dialog. */
  readonly exportGrants: PathGrants;
  /** Model files: under the profile's models/, or picked in the model dialog. */
  readonly modelGrants: PathGrants;
  /** Detect workers, each with its own session; a batch runs one file on each (started when first needed). */
  private readonly detectPool = new DetectorPool({ workers: DETECT_WORKERS });
  /** The viewer's pages, exports and model checks: never behind a batch. */
  private readonly pageWorker = new DetectorPool({ workers: 1 });
  private readonly exporter: ExportService;
  private readonly pageCache = new Map<string, Promise<{ width: number; height: number; png: Uint8Array }>>();
  private modelInfo: Promise<ModelSummaryView> | null = null;
  private readonly stats = { inferences: 0, pages: 0 };
  private readonly engineOverride = new Map<string, EngineName>();

  constructor(private readonly opts: AppServicesOptions) {
    this.settings = new SettingsService(opts.settingsStore, opts.secrets);
    try {
      importPendingSecrets(opts.profileDir, opts.secrets);
    } catch (err) {
      // No secure storage yet, or an unreadable file: it stays for the next start, the app starts anyway.
      console.warn(`Pending secrets not imported: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.uploads = new UploadStore(join(opts.profileDir, 'uploads'));
    this.exportsRoot = join(opts.profileDir, 'exports');
    this.exportGrants = new PathGrants([this.exportsRoot], 'An export folder');
    this.modelGrants = new PathGrants([join(opts.profileDir, 'models')], 'A model file');
    this.queue = new BatchQueue(
      this.docs,
      (doc, signal) => this.runDoc(doc, signal),
      (s) => opts.emit('batch:progress', s),
      () => this.settings.get().defaultConf,
      // Cloud: as many files at once as requests in flight (their pages share that limit); local: one per worker.
      () => {
        const s = this.settings.get();
        return s.engine === 'cloud' ? opts.cloud.inFlight(s.cloud) : DETECT_WORKERS;
      },
    );
    this.exporter = new ExportService({
      draw: (doc, pages) => this.pageWorker.run({ type: 'annotate', file: doc.path, dpi: this.dpi(), pages }),
    });
  }

  /** Opens files by path (Electron dialogs, folders, recent) and queues them for detection. */
  openPaths(paths: string[]): DocumentSummary[] {
    const unsupported = paths.filter((p) => !hasImageExtension(p));
    if (unsupported.length === paths.length) {
      throw new CheckboxError('unsupported_type', 'None of these files is a supported image or PDF.');
    }
    // A file that is already open is not opened again: its entry comes back as it is.
    const open = new Map(this.docs.list().map((d) => [d.path, d]));
    const wanted = [...new Set(paths.filter(hasImageExtension))];
    const added = wanted.filter((p) => !open.has(p)).map((p) => this.docs.add(p));
    const docs = wanted.map((p) => open.get(p) ?? added.find((d) => d.path === p)!);
    this.settings.addRecent(docs.map((d) => ({ path: d.path, name: d.name })));
    if (added.length > 0) this.queue.startBatch(added.map((d) => d.id));
    return docs.map((d) => this.docs.summary(d, this.settings.get().defaultConf));
  }

  /**
   * Opens files and folders named by the person running the app (File > Open in Electron, the command line,
   * the file manager), a folder like File > Open Folder. A path that does not exist is an error.
   */
  async openNamedPaths(paths: string[]): Promise<DocumentSummary[]> {
    const expanded = await Promise.all(
      paths.map(async (p) => {
        const info = await stat(p).catch(() => {
          throw new CheckboxError('invalid_argument', `File not found: ${basename(p)}`);
        });
        return info.isDirectory() ? listImageFiles(p) : [p];
      }),
    );
    return this.openPaths(expanded.flat());
  }

  /**
   * Opens what the app was started with (command line, file manager, a second launch), each path on its own
   * so that one that is gone or not a form keeps none of the others closed. Returns why each failed one did.
   */
  async openLaunchPaths(paths: string[]): Promise<string[]> {
    const failed: string[] = [];
    for (const path of paths) {
      await this.openNamedPaths([path]).catch((err: unknown) => {
        failed.push(`${path}: ${toCheckboxError(err).message}`);
      });
    }
    return failed;
  }

  async openFolder(dir: string): Promise<DocumentSummary[]> {
    const files = await listImageFiles(dir);
    if (files.length === 0) throw new CheckboxError('invalid_argument', 'That folder has no images or PDFs.');
    return this.openPaths(files);
  }

  async close(): Promise<void> {
    this.queue.cancel();
    await Promise.all([this.detectPool.dispose(), this.pageWorker.dispose()]);
  }

  readonly handlers: Handlers = {
    getAppInfo: () => this.appInfo(),
    getStats: () => ({ ...this.stats }),
    getSettings: () => this.settings.view(),
    updateSettings: (patch) => {
      // A language without data is refused now, with how to install it, not once per page later.
      if (patch.ocrLang !== undefined) ocrLanguage(patch.ocrLang);
      const view = this.settings.update(patch);
      this.progress(); // counts follow the default conf
      return view;
    },
    setSecret: ({ name, value }) => {
      this.opts.secrets.set(name, value);
      return this.settings.view();
    },
    chooseModel: async ({ path }) => {
      if (path !== null && path !== this.settings.get().modelPath) this.modelGrants.check(path);
      // Loading the model is the validation: a wrong file is refused with the core's message.
      const info = await this.pageWorker.run({ type: 'model-info', model: { modelPath: path } });
      const view = this.settings.setModelPath(path);
      // The detect worker loads the new model on its next run (it keys its session by path).
      this.modelInfo = Promise.resolve(info);
      return view;
    },
    testConnection: async () => {
      const s = this.settings.get();
      const started = Date.now();
      try {
        const r = await this.opts.cloud.test({
          settings: s.cloud,
          apiKey: this.opts.secrets.get('cloudApiKey'),
          signal: AbortSignal.timeout(30_000),
        });
        return { ok: true, latencyMs: r.latencyMs, message: r.message };
      } catch (err) {
        return { ok: false, latencyMs: Date.now() - started, message: toCheckboxError(err).message };
      }
    },
    // A folder dropped on the window opens like File > Open Folder.
    openFiles: async ({ files }) =>
      this.openNamedPaths(await Promise.all(files.map((f) => this.resolveRef(f)))),
    openRecent: ({ path }) => {
      if (!this.settings.get().recent.some((r) => r.path === path)) {
        throw new CheckboxError('invalid_argument', 'That file is not in the recent list.');
      }
      return this.openPaths([path]);
    },
    listDocuments: () => this.docs.list().map((d) => this.docs.summary(d, this.settings.get().defaultConf)),
    closeDocument: ({ docId }) => {
      this.docs.remove(docId);
      for (const key of this.pageCache.keys()) if (key.startsWith(`${docId}:`)) this.pageCache.delete(key);
      return null;
    },
    getResults: ({ docId }) => this.docs.results(docId),
    getPageImage: async ({ docId, page }) => {
      const img = await this.pageImage(this.docs.get(docId), page);
      return { width: img.width, height: img.height, mime: 'image/png', data: img.png };
    },
    saveEdits: ({ docId, page, detections }) => {
      const saved = this.docs.saveEdits(docId, page, detections);
      this.progress(); // the batch table and document list show corrected counts
      return saved.counts;
    },
    rerun: ({ docIds, engine }) => {
      for (const id of docIds) {
        this.docs.get(id);
        if (engine) this.engineOverride.set(id, engine);
      }
      this.queue.enqueue(docIds);
      return docIds.map((id) => this.docs.summary(this.docs.get(id), this.settings.get().defaultConf));
    },
    getBatch: () => this.queue.status(),
    cancelBatch: () => {
      this.queue.cancel();
      return this.queue.status();
    },
    exportResults: async (req) => {
      const dir = req.dir
        ? this.exportGrants.check(req.dir)
        : join(this.exportsRoot, new Date().toISOString().replace(/[:.]/g, '-'));
      return this.exporter.export(req, this.docs.list(), dir);
    },
  };

  private async resolveRef(ref: FileRef): Promise<string> {
    if ('uploadId' in ref) return this.uploads.resolve(ref.uploadId);
    if (this.opts.pathsFromUploadsOnly && !this.uploads.owns(ref.path)) {
      throw new CheckboxError('invalid_argument', 'In browser mode files are opened by uploading them.');
    }
    return ref.path;
  }

  private progress(): void {
    this.opts.emit('batch:progress', this.queue.status());
  }

  private dpi(): number {
    return this.settings.get().pdfDpi;
  }

  private async appInfo(): Promise<AppInfo> {
    const modelPath = this.settings.get().modelPath;
    this.modelInfo ??= this.pageWorker.run({ type: 'model-info', model: { modelPath } });
    const base = { version: this.opts.version, shell: this.opts.shell, floorConf: FLOOR_CONF };
    try {
      return { ...base, model: await this.modelInfo, modelError: null };
    } catch (err) {
      this.modelInfo = null;
      const e = toCheckboxError(err);
      return { ...base, model: null, modelError: { code: e.code, message: e.message } };
    }
  }

  private pageImage(doc: Doc, page: number) {
    const key = `${doc.id}:${page}`;
    let hit = this.pageCache.get(key);
    if (hit) {
      this.pageCache.delete(key); // re-insert: most recently used last
    } else {
      hit = this.pageWorker.run({ type: 'render', file: doc.path, page, dpi: this.dpi() });
      hit.catch(() => this.pageCache.delete(key));
    }
    this.pageCache.set(key, hit);
    while (this.pageCache.size > PAGE_CACHE_SIZE) this.pageCache.delete(this.pageCache.keys().next().value!);
    return hit;
  }

  private async runDoc(doc: Doc, signal: AbortSignal): Promise<void> {
    const s = this.settings.get();
    const engine = this.engineOverride.get(doc.id) ?? s.engine;
    this.engineOverride.delete(doc.id);
    const started = Date.now();
    let results: DetectionResult[];
    if (engine === 'cloud') {
      // A PDF's or TIFF's pages are made into uploads on a worker (pdf.js, pdf-lib, libvips), never here on the
      // main process; an image goes as it is.
      const data = await readFile(doc.path);
      const type = sniffImageType(data);
      const file =
        type === 'pdf' || type === 'tiff'
          ? splitPages(await this.detectPool.run({ type: 'split', file: data, dpi: s.pdfDpi }, signal))
          : data;
      results = await this.opts.cloud.detect({
        file,
        source: doc.name,
        conf: FLOOR_CONF,
        dpi: s.pdfDpi,
        text: textOptions(s),
        settings: s.cloud,
        apiKey: this.opts.secrets.get('cloudApiKey'),
        signal,
        onRetry: (message) => {
          doc.notice = message;
          this.progress();
        },
      });
    } else {
      const detected = await this.detectPool.run(
        {
          type: 'detect',
          file: doc.path,
          model: {
            modelPath: s.modelPath,
            // Switching between the two costs the worker a new session (~50 ms), once per run at most.
            ...(this.queue.runSize > 1 ? { threads: BATCH_THREADS } : {}),
          },
          opts: {
            conf: FLOOR_CONF,
            dpi: s.pdfDpi,
            source: doc.name,
            ...textOptions(s),
          },
        },
        signal,
      );
      results = detected.results;
    }
    this.stats.inferences++;
    this.stats.pages += results.length;
    Object.assign(doc, { results, engine, elapsedMs: Date.now() - started, error: null });
  }
}
