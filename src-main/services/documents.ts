// The open documents: where each file is, its detection results per page (the model's output at the
// floor conf, with the user's corrections applied) and its run status.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { CheckboxError } from '../../src-shared/errors.js';
import { countDetections, passesConf, type Detection, type DetectionResult } from '../../src-shared/result.js';
import type { DocStatus, DocumentSummary, EngineName, ErrorInfo } from '../../src-shared/contract.js';

export interface Doc {
  id: string;
  path: string;
  name: string;
  status: DocStatus;
  results: DetectionResult[] | null;
  engine: EngineName | null;
  elapsedMs: number | null;
  error: ErrorInfo | null;
  /** The batch it was opened in (BatchQueue.startBatch). */
  batch: number;
  /** The latest retry of a cloud request while the file runs, in words. */
  notice?: string | null;
}

export class DocumentStore {
  private readonly docs = new Map<string, Doc>();

  add(path: string, name = basename(path)): Doc {
    const doc: Doc = {
      id: randomUUID(),
      path,
      name,
      status: 'queued',
      results: null,
      engine: null,
      elapsedMs: null,
      error: null,
      batch: 0,
    };
    this.docs.set(doc.id, doc);
    return doc;
  }

  get(id: string): Doc {
    const doc = this.docs.get(id);
    if (!doc) throw new CheckboxError('invalid_argument', 'That document is not open.');
    return doc;
  }

  list(): Doc[] {
    return [...this.docs.values()];
  }

  remove(id: string): void {
    this.docs.delete(id);
  }

  results(id: string): DetectionResult[] {
    const doc = this.get(id);
    if (!doc.results) throw new CheckboxError('invalid_argument', `“${doc.name}” has no results yet.`);
    return doc.results;
  }

  /** Replaces one page's detections with the user's corrected list. */
  saveEdits(id: string, page: number, detections: Detection[]): DetectionResult {
    const results = this.results(id);
    const index = results.findIndex((r) => r.image.page === page);
    const current = results[index];
    if (!current) throw new CheckboxError('invalid_argument', `Page ${page} does not exist.`);
    const next = { ...current, detections, counts: countDetections(detections, current.model.classes) };
    results[index] = next;
    return next;
  }

  /** `conf`: counts include detections at or above it, and every corrected one. */
  summary(doc: Doc, conf: number): DocumentSummary {
    const counts = doc.results
      ? countDetections(
          doc.results.flatMap((r) => r.detections.filter((d) => passesConf(d, conf))),
          doc.results[0]?.model.classes ?? [],
        )
      : null;
    return {
      id: doc.id,
      name: doc.name,
      path: doc.path,
      status: doc.status,
      pages: doc.results ? doc.results.length : null,
      counts,
      engine: doc.engine,
      elapsedMs: doc.elapsedMs,
      error: doc.error,
      batch: doc.batch,
      notice: doc.notice ?? null,
    };
  }
}
