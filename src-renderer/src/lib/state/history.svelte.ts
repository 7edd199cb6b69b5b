// Undo/redo of corrections, one stack per page: each entry is the page's full detection list before
// a change, so undo and redo are exact and cheap (lists are small and immutable).
import type { Detection } from '../../../../src-shared/contract';

interface Stacks {
  undo: Detection[][];
  redo: Detection[][];
}

export class EditHistory {
  private stacks = $state<Record<string, Stacks>>({});

  private of(key: string): Stacks {
    this.stacks[key] ??= { undo: [], redo: [] };
    return this.stacks[key];
  }

  record(key: string, before: Detection[]): void {
    const s = this.of(key);
    s.undo.push(before);
    s.redo = [];
  }

  undo(key: string, current: Detection[]): Detection[] | null {
    const s = this.of(key);
    const prev = s.undo.pop();
    if (!prev) return null;
    s.redo.push(current);
    return prev;
  }

  redo(key: string, current: Detection[]): Detection[] | null {
    const s = this.of(key);
    const next = s.redo.pop();
    if (!next) return null;
    s.undo.push(current);
    return next;
  }

  canUndo(key: string): boolean {
    return (this.stacks[key]?.undo.length ?? 0) > 0;
  }

  canRedo(key: string): boolean {
    return (this.stacks[key]?.redo.length ?? 0) > 0;
  }

  forget(prefix: string): void {
    for (const k of Object.keys(this.stacks)) if (k.startsWith(prefix)) delete this.stacks[k];
  }
}
