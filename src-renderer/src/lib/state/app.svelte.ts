// The renderer's state: open documents and the batch (as main reports them), the page on screen,
// the confidence filter, class visibility, selection and corrections with undo/redo.
import type {
  AppInfo,
  BatchStatus,
  Counts,
  Detection,
  DetectionResult,
  DocumentSummary,
  ExportFormat,
  ExportOutcome,
  SettingsView,
} from '../../../../src-main/ipc/contract';
import type { SettingsPatch } from '../../../../src-main/ipc/settings-types';
import { classStyle, nextClass, type ClassStyle } from '../../../../src-core/class-style';
import { countDetections } from '../../../../src-core/result';
import { ApiError, platform } from '../platform';
import { EditHistory } from './history.svelte';

export interface Notice {
  kind: 'error' | 'info';
  message: string;
  /** Offer to rerun a cloud failure locally. */
  runLocally?: string[];
  /** Where an export went. */
  dir?: string;
}
export interface PageImageView {
  url: string;
  width: number;
  height: number;
}

export class AppState {
  readonly api = platform.api;
  readonly shell = platform.kind;
  info = $state<AppInfo | null>(null);
  settings = $state<SettingsView | null>(null);
  batch = $state<BatchStatus | null>(null);
  activeId = $state<string | null>(null);
  page = $state(1);
  results = $state<Record<string, DetectionResult[]>>({});
  threshold = $state(0.2);
  /** Classes switched off in the view, by name. */
  hidden = $state<Record<string, boolean>>({});
  selected = $state<number | null>(null);
  tool = $state<'select' | 'draw'>('select');
  private chosenDrawClass = $state<string | null>(null);
  pageImage = $state<PageImageView | null>(null);
  pageLoading = $state(false);
  notice = $state<Notice | null>(null);
  lastExport = $state<ExportOutcome | null>(null);
  showBatch = $state(false);
  showSettings = $state(false);
  showExport = $state(false);
  readonly history = new EditHistory();

  docs = $derived<DocumentSummary[]>(this.batch?.items ?? []);
  activeDoc = $derived(this.docs.find((d) => d.id === this.activeId) ?? null);
  pageCount = $derived(this.results[this.activeId ?? '']?.length ?? this.activeDoc?.pages ?? 0);
  pageResult = $derived<DetectionResult | null>(this.results[this.activeId ?? '']?.[this.page - 1] ?? null);
  pageDetections = $derived<Detection[]>(this.pageResult?.detections ?? []);
  /** Detections passing the slider (corrected ones always pass: a person confirmed them). */
  passing = $derived(this.pageDetections.map((d, i) => ({ d, i })).filter(({ d }) => this.passes(d)));
  /** The model's class names: they name the counts, toggles and styles. */
  classes = $derived<string[]>(this.results[this.activeId ?? '']?.[0]?.model.classes ?? []);
  visible = $derived(this.passing.filter(({ d }) => !this.hidden[d.class]));
  pageCounts = $derived(
    countDetections(
      this.passing.map((p) => p.d),
      this.classes,
    ),
  );
  docCounts = $derived(
    countDetections(
      (this.results[this.activeId ?? ''] ?? []).flatMap((r) => r.detections.filter((d) => this.passes(d))),
      this.classes,
    ),
  );
  /** Every class the documents' counts name: the batch table's columns. */
  batchClasses = $derived([
    ...new Set(this.docs.flatMap((d) => Object.keys(d.counts ?? {}).filter((k) => k !== 'total'))),
  ]);
  historyKey = $derived(`${this.activeId}:${this.page}`);
  selectedDetection = $derived(this.selected === null ? null : (this.pageDetections[this.selected] ?? null));

  /** A document's counts at the slider once its results are here, else main's at the default conf. */
  countsFor(doc: DocumentSummary): Counts | null {
    const results = this.results[doc.id];
    if (!results) return doc.counts;
    const passing = results.flatMap((r) => r.detections.filter((d) => this.passes(d)));
    return countDetections(passing, results[0]?.model.classes ?? []);
  }

  /** The class drawn boxes get: the one chosen while the model has it, else the model's first. */
  get drawClass(): string {
    const chosen = this.chosenDrawClass;
    return chosen !== null && this.classes.includes(chosen) ? chosen : (this.classes[0] ?? '');
  }
  set drawClass(name: string) {
    this.chosenDrawClass = name;
  }

  styleOf(name: string): ClassStyle {
    return classStyle(this.classes, name);
  }

  /** Counts by class, in the model's order (countDetections keeps it). */
  classCounts(counts: Counts): Array<{ name: string; n: number }> {
    return Object.entries(counts)
      .filter(([name]) => name !== 'total')
      .map(([name, n]) => ({ name, n }));
  }

  /** "3 empty, 2 filled": the counts by class in words. */
  countsText(counts: Counts, separator = ', '): string {
    return this.classCounts(counts)
      .map((c) => `${c.n} ${c.name}`)
      .join(separator);
  }

  passes(d: Detection): boolean {
    return d.corrected === true || d.confidence >= this.threshold;
  }

  async init(): Promise<void> {
    platform.on('batch:progress', (s) => this.onBatch(s));
    const [settings, batch] = await Promise.all([this.api.getSettings(), this.api.getBatch()]);
    this.settings = settings;
    this.threshold = settings.defaultConf;
    this.onBatch(batch);
    this.info = await this.api.getAppInfo();
    if (this.info.modelError) this.fail(`The model could not be loaded: ${this.info.modelError.message}`);
  }

  // ---- opening ----
  async openDropped(files: File[]): Promise<void> {
    if (files.length === 0) return;
    await this.guard(async () => this.opened(await platform.openDropped(files)));
  }

  async openDialog(kind: 'files' | 'folder'): Promise<void> {
    await this.guard(async () =>
      this.opened(await (kind === 'files' ? this.api.showOpenFiles() : this.api.showOpenFolder())),
    );
  }

  async openRecent(path: string): Promise<void> {
    await this.guard(async () => this.opened(await this.api.openRecent({ path })));
  }

  private opened(docs: DocumentSummary[]): void {
    if (docs.length > 1) this.showBatch = true;
    const first = docs[0];
    if (first) void this.selectDoc(first.id);
    void this.refreshSettings();
  }

  async refreshSettings(): Promise<void> {
    this.settings = await this.api.getSettings();
  }

  // ---- navigation ----
  async selectDoc(id: string, page = 1): Promise<void> {
    this.activeId = id;
    this.page = page;
    this.selected = null;
    const doc = this.docs.find((d) => d.id === id);
    if (doc?.status === 'done' && !this.results[id]) await this.loadResults(id);
    await this.loadPage();
  }

  async goToPage(page: number): Promise<void> {
    if (page < 1 || page > this.pageCount || page === this.page) return;
    this.page = page;
    this.selected = null;
    await this.loadPage();
  }

  private async loadResults(id: string): Promise<void> {
    this.results[id] = await this.api.getResults({ docId: id });
  }

  private async loadPage(): Promise<void> {
    const id = this.activeId;
    const page = this.page;
    const doc = this.activeDoc;
    if (!id || !doc || doc.status !== 'done') return;
    this.pageLoading = true;
    try {
      const img = await this.api.getPageImage({ docId: id, page });
      if (id !== this.activeId || page !== this.page) return;
      if (this.pageImage) URL.revokeObjectURL(this.pageImage.url);
      const blob = new Blob([img.data as Uint8Array<ArrayBuffer>], { type: img.mime });
      this.pageImage = { url: URL.createObjectURL(blob), width: img.width, height: img.height };
    } catch (err) {
      this.fail(err);
    } finally {
      this.pageLoading = false;
    }
  }

  private onBatch(status: BatchStatus): void {
    const before = this.batch;
    if (before && status.seq < before.seq) return; // an older snapshot arriving late
    this.batch = status;
    for (const doc of status.items) {
      const was = before?.items.find((d) => d.id === doc.id);
      if (doc.status === 'done' && was?.status !== 'done' && doc.id === this.activeId) {
        delete this.results[doc.id];
        void this.selectDoc(doc.id, 1);
      }
      if (doc.status === 'error' && was?.status !== 'error' && doc.id === this.activeId)
        this.reportDocError(doc);
    }
    if (this.activeId && !status.items.some((d) => d.id === this.activeId)) this.activeId = null;
  }

  reportDocError(doc: DocumentSummary): void {
    if (!doc.error) return;
    const cloud = doc.error.code.startsWith('cloud_');
    this.notice = {
      kind: 'error',
      message: `${doc.name}: ${doc.error.message}`,
      ...(cloud ? { runLocally: [doc.id] } : {}),
    };
  }

  // ---- review ----
  private commit(next: Detection[]): void {
    const id = this.activeId;
    const list = this.results[id ?? ''];
    const result = list?.[this.page - 1];
    if (!id || !list || !result) return;
    list[this.page - 1] = {
      ...result,
      detections: next,
      counts: countDetections(next, result.model.classes),
    };
    void this.guard(async () => {
      await this.api.saveEdits({
        docId: id,
        page: this.page,
        detections: $state.snapshot(next) as Detection[],
      });
    });
  }

  private edit(next: Detection[]): void {
    this.history.record(this.historyKey, $state.snapshot(this.pageDetections) as Detection[]);
    this.commit(next);
  }

  select(index: number | null): void {
    this.selected = index;
  }

  flipSelected(): void {
    const i = this.selected;
    const d = i === null ? null : this.pageDetections[i];
    if (i === null || !d) return;
    const next = [...this.pageDetections];
    next[i] = { ...d, class: nextClass(this.classes, d.class), corrected: true };
    this.edit(next);
  }

  deleteSelected(): void {
    const i = this.selected;
    if (i === null || !this.pageDetections[i]) return;
    this.edit(this.pageDetections.filter((_, j) => j !== i));
    this.selected = null;
  }

  addBox(box: [number, number, number, number]): void {
    const d: Detection = { class: this.drawClass, confidence: 1, box, corrected: true };
    this.edit([...this.pageDetections, d]);
    this.selected = this.pageDetections.length - 1;
  }

  undo(): void {
    const prev = this.history.undo(this.historyKey, $state.snapshot(this.pageDetections) as Detection[]);
    if (prev) {
      this.selected = null;
      this.commit(prev);
    }
  }

  redo(): void {
    const next = this.history.redo(this.historyKey, $state.snapshot(this.pageDetections) as Detection[]);
    if (next) {
      this.selected = null;
      this.commit(next);
    }
  }

  // ---- engine, batch, settings, export ----
  async updateSettings(patch: SettingsPatch): Promise<void> {
    await this.guard(async () => {
      this.settings = await this.api.updateSettings(patch);
    });
  }

  async rerun(docIds: string[], engine?: 'local' | 'cloud'): Promise<void> {
    this.notice = null;
    await this.guard(async () => {
      for (const id of docIds) {
        delete this.results[id];
        this.history.forget(`${id}:`);
      }
      await this.api.rerun(engine ? { docIds, engine } : { docIds });
    });
  }

  async cancelBatch(): Promise<void> {
    await this.guard(async () => {
      this.onBatch(await this.api.cancelBatch());
    });
  }

  async closeDoc(id: string): Promise<void> {
    await this.guard(async () => {
      await this.api.closeDocument({ docId: id });
      delete this.results[id];
      this.history.forget(`${id}:`);
      if (this.activeId === id) {
        this.activeId = null;
        this.pageImage = null;
      }
      this.onBatch(await this.api.getBatch());
    });
  }

  async exportResults(scope: 'page' | 'document' | 'batch', formats: ExportFormat[]): Promise<void> {
    await this.guard(async () => {
      const dir = await platform.exportDir();
      if (dir === null) return;
      const outcome = await this.api.exportResults({
        scope,
        formats,
        conf: this.threshold,
        ...(scope !== 'batch' && this.activeId ? { docId: this.activeId } : {}),
        ...(scope === 'page' ? { page: this.page } : {}),
        ...(dir ? { dir } : {}),
      });
      this.lastExport = outcome;
      platform.deliver(outcome);
      this.notice = {
        kind: 'info',
        message: `Exported ${outcome.files.length} file(s) to ${outcome.dir}`,
        dir: outcome.dir,
      };
    });
  }

  fail(err: unknown): void {
    const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
    this.notice = { kind: 'error', message };
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.fail(err);
    }
  }
}

export const app = new AppState();
