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
} from '../../../../src-shared/contract';
import type { SettingsPatch } from '../../../../src-shared/settings-types';
import { classStyle, type ClassStyle } from '../../../../src-shared/class-style';
import { countDetections, DEFAULT_CONF, passesConf } from '../../../../src-shared/result';
import { naturalCompare } from '../names';
import { ApiError, platform } from '../platform';
import {
  flipped,
  lookReasons,
  nextToReview,
  readingLines,
  reviewOrder,
  reviewState,
  type LookReason,
} from '../review/queue';
import { EditHistory } from './history.svelte';

export interface Notice {
  kind: 'error' | 'info';
  message: string;
  /** Offer to rerun a cloud failure locally. */
  runLocally?: string[];
  /** Where an export went. */
  dir?: string;
  /** Offer to open Settings (the cloud has no endpoint yet). */
  settings?: boolean;
}
export interface PageImageView {
  /** The document and page this image is of: never shown under another page's boxes. */
  docId: string;
  page: number;
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
  threshold = $state(DEFAULT_CONF);
  /** Classes switched off in the view, by name. */
  hidden = $state<Record<string, boolean>>({});
  /** Selected boxes (indices into the page's detections); the last one has the focus. */
  selection = $state<number[]>([]);
  /** Bumped to ask the viewer to centre and zoom on the focused box. */
  focusSeq = $state(0);
  tool = $state<'select' | 'draw'>('select');
  private chosenDrawClass = $state<string | null>(null);
  pageImage = $state<PageImageView | null>(null);
  pageLoading = $state(false);
  notice = $state<Notice | null>(null);
  lastExport = $state<ExportOutcome | null>(null);
  showBatch = $state(false);
  showSettings = $state(false);
  showExport = $state(false);
  showShortcuts = $state(false);
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
  /** The latest batch's files: the batch table's rows (the sidebar lists every open document). */
  batchDocs = $derived(this.docs.filter((d) => d.batch === this.batch?.batch));
  /** Every class the batch's counts name: the batch table's columns. */
  batchClasses = $derived([
    ...new Set(this.batchDocs.flatMap((d) => Object.keys(d.counts ?? {}).filter((k) => k !== 'total'))),
  ]);
  historyKey = $derived(`${this.activeId}:${this.page}`);
  selected = $derived<number | null>(this.selection.at(-1) ?? null);
  selectedDetection = $derived(this.selected === null ? null : (this.pageDetections[this.selected] ?? null));
  /** The image on screen: only the open page's own, else none (a loading state) while it comes. */
  shownImage = $derived(
    this.pageImage?.docId === this.activeId && this.pageImage?.page === this.page ? this.pageImage : null,
  );

  // ---- review queue (the page's boxes that pass the slider) ----
  reasons = $derived<LookReason[][]>(lookReasons(this.pageDetections, this.threshold));
  /** Visible boxes in reading order, with their line and place on it: the order of the overlay, the
   *  list and keyboard focus. */
  readingVisible = $derived(
    readingLines(this.visible.map((v) => v.d)).flatMap((line, l) =>
      line.map((k, c) => ({ ...this.visible[k]!, line: l + 1, place: c + 1 })),
    ),
  );
  private order = $derived(reviewOrder(this.readingVisible.map((v) => v.i), this.reasons));
  private toReview = $derived(
    new Set(this.visible.filter(({ d }) => reviewState(d) === 'unreviewed').map(({ i }) => i)),
  );
  docProgress = $derived.by(() => {
    let total = 0;
    let reviewed = 0;
    let needLook = 0;
    for (const r of this.results[this.activeId ?? ''] ?? []) {
      const reasons = lookReasons(r.detections, this.threshold);
      r.detections.forEach((d, i) => {
        if (!this.passes(d)) return;
        total++;
        if (reviewState(d) !== 'unreviewed') reviewed++;
        else if (reasons[i]!.length > 0) needLook++;
      });
    }
    return { total, reviewed, needLook };
  });

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
    return passesConf(d, this.threshold);
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
    // A folder arrives in upload order: open it in natural order (page-2 before page-10).
    const path = (f: File) => f.webkitRelativePath || f.name;
    const key = (f: File) => `${path(f)}|${f.size}|${f.lastModified}`;
    // The same file picked again is not uploaded again (main does the same for paths).
    const openIds = new Set(this.docs.map((d) => d.id));
    const again = files.map((f) => this.uploaded.get(key(f))).filter((id) => id && openIds.has(id));
    const fresh = files
      .filter((f) => !openIds.has(this.uploaded.get(key(f)) ?? ''))
      .sort((a, b) => naturalCompare(path(a), path(b)));
    if (fresh.length === 0) {
      this.notice = { kind: 'info', message: files.length > 1 ? 'These files are already open.' : 'That file is already open.' };
      return void this.selectDoc(again[0]!);
    }
    await this.guard(async () => {
      const docs = await platform.openDropped(fresh);
      if (docs.length === fresh.length) fresh.forEach((f, k) => this.uploaded.set(key(f), docs[k]!.id));
      this.opened(docs);
    });
  }
  /** Files uploaded (browser mode) and the document each became. */
  private readonly uploaded = new Map<string, string>();

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
    this.selection = [];
    const doc = this.docs.find((d) => d.id === id);
    if (doc?.status === 'done' && !this.results[id]) await this.loadResults(id);
    await this.loadPage();
  }

  async goToPage(page: number): Promise<void> {
    if (page < 1 || page > this.pageCount || page === this.page) return;
    this.page = page;
    this.selection = [];
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
      this.pageImage = { docId: id, page, url: URL.createObjectURL(blob), width: img.width, height: img.height };
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
  private commit(next: Detection[], page = this.page): void {
    const id = this.activeId;
    const list = this.results[id ?? ''];
    const result = list?.[page - 1];
    if (!id || !list || !result) return;
    list[page - 1] = { ...result, detections: next, counts: countDetections(next, result.model.classes) };
    void this.guard(async () => {
      await this.api.saveEdits({ docId: id, page, detections: $state.snapshot(next) as Detection[] });
    });
  }

  /** One undo step per call, whatever number of boxes it changes. */
  private edit(next: Detection[], page = this.page): void {
    const before = this.results[this.activeId ?? '']?.[page - 1]?.detections ?? [];
    this.history.record(`${this.activeId}:${page}`, $state.snapshot(before) as Detection[]);
    this.commit(next, page);
  }

  /** Selects a box: alone, added/removed (Ctrl/Cmd), or the reading-order run from the focused one (Shift). */
  select(index: number | null, mode: 'only' | 'toggle' | 'range' = 'only'): void {
    if (index === null) this.selection = [];
    else if (mode === 'toggle')
      this.selection = this.selection.includes(index)
        ? this.selection.filter((i) => i !== index)
        : [...this.selection, index];
    else if (mode === 'range' && this.selected !== null) {
      const order = this.readingVisible.map((v) => v.i);
      const [a, b] = [order.indexOf(this.selected), order.indexOf(index)];
      const run = a < 0 || b < 0 ? [] : order.slice(Math.min(a, b), Math.max(a, b) + 1);
      this.selection = [...new Set([...this.selection, ...run.filter((i) => i !== index)]), index];
    } else this.selection = [index];
  }

  isSelected(index: number): boolean {
    return this.selection.includes(index);
  }

  selectAll(): void {
    this.selection = this.readingVisible.map((v) => v.i);
  }

  /** Selects the visible boxes touching a rectangle of the page (image pixels); `add` keeps the selection. */
  selectIn(rect: [number, number, number, number], add: boolean): void {
    const [x1, y1, x2, y2] = rect;
    const hit = this.readingVisible
      .filter(({ d }) => d.box[0] < x2 && d.box[2] > x1 && d.box[1] < y2 && d.box[3] > y1)
      .map((v) => v.i);
    this.selection = add ? [...new Set([...this.selection, ...hit])] : hit;
  }

  /** Applies `change` to every selected box as one edit. */
  private changeSelected(change: (d: Detection) => Detection): void {
    const chosen = new Set(this.selection.filter((i) => this.pageDetections[i]));
    if (chosen.size === 0) return;
    this.edit(this.pageDetections.map((d, i) => (chosen.has(i) ? change(d) : d)));
  }

  /** Flips every selected box; a person decided its state, so it counts as reviewed (corrected). */
  flipSelected(): void {
    this.changeSelected((d) => flipped(d, this.classes));
  }

  /** Accepts the selected boxes as the model found them (a corrected box stays corrected). */
  acceptSelected(): void {
    this.changeSelected((d) => (reviewState(d) === 'unreviewed' ? { ...d, review: 'accepted' } : d));
  }

  deleteSelected(): void {
    const chosen = new Set(this.selection);
    if (!this.pageDetections.some((_, i) => chosen.has(i))) return;
    this.edit(this.pageDetections.filter((_, j) => !chosen.has(j)));
    this.selection = [];
  }

  addBox(box: [number, number, number, number]): void {
    const d: Detection = { class: this.drawClass, confidence: 1, box, corrected: true, review: 'corrected' };
    this.edit([...this.pageDetections, d]);
    this.selection = [this.pageDetections.length - 1];
  }

  /** Goes to the next (1) or previous (-1) box to review: on this page, then the next pages, then around. */
  async reviewNext(step: 1 | -1): Promise<void> {
    const here = nextToReview(this.order, this.toReview, this.selected, step);
    if (here !== null) return this.focusBox(here);
    const page = this.pageWithReview(step);
    if (page !== null) await this.goToPage(page);
    const first = nextToReview(this.order, this.toReview, null, step);
    if (first !== null) this.focusBox(first);
  }

  /** Another page of this document with boxes still to review, in the direction of `step`. */
  private pageWithReview(step: 1 | -1): number | null {
    const pages = this.results[this.activeId ?? ''] ?? [];
    for (let p = this.page + step; p >= 1 && p <= pages.length; p += step) {
      const left = pages[p - 1]!.detections.some(
        (d) => this.passes(d) && !this.hidden[d.class] && reviewState(d) === 'unreviewed',
      );
      if (left) return p;
    }
    return null;
  }

  /** Selects one box and asks the viewer to bring it into view. */
  focusBox(index: number): void {
    this.selection = [index];
    this.focusSeq++;
  }

  /** Accepts every box still unreviewed on the page (or on every page of the document). */
  markReviewed(scope: 'page' | 'document'): void {
    const pages = this.results[this.activeId ?? ''] ?? [];
    const targets = scope === 'page' ? [this.page] : pages.map((_, k) => k + 1);
    for (const p of targets) {
      const list = pages[p - 1]?.detections ?? [];
      if (!list.some((d) => this.passes(d) && reviewState(d) === 'unreviewed')) continue;
      this.edit(
        list.map((d) => (this.passes(d) && reviewState(d) === 'unreviewed' ? { ...d, review: 'accepted' } : d)),
        p,
      );
    }
  }

  undo(): void {
    const prev = this.history.undo(this.historyKey, $state.snapshot(this.pageDetections) as Detection[]);
    if (prev) {
      this.selection = [];
      this.commit(prev);
    }
  }

  redo(): void {
    const next = this.history.redo(this.historyKey, $state.snapshot(this.pageDetections) as Detection[]);
    if (next) {
      this.selection = [];
      this.commit(next);
    }
  }

  // ---- engine, batch, settings, export ----
  async updateSettings(patch: SettingsPatch): Promise<void> {
    await this.guard(async () => {
      this.settings = await this.api.updateSettings(patch);
    });
  }

  /** Switches to the cloud only once it has an endpoint; else says so and offers Settings. */
  async chooseCloud(): Promise<void> {
    const cloud = this.settings?.cloud;
    const target = cloud?.mode === 'invoke' ? cloud.functionName : cloud?.endpoint;
    if (!target?.trim()) {
      this.notice = {
        kind: 'error',
        message: 'The cloud has no endpoint yet: set your Lambda’s URL (or function name) in Settings first.',
        settings: true,
      };
      return;
    }
    await this.updateSettings({ engine: 'cloud' });
  }

  async rerun(docIds: string[], engine?: 'local' | 'cloud'): Promise<void> {
    this.notice = null;
    // "Run locally" after a cloud failure also moves the switch, so the next file doesn't fail the same way.
    if (engine === 'local' && this.settings?.engine === 'cloud') await this.updateSettings({ engine: 'local' });
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
