/**
 * A one-line progress display, like TLC's "Progress(...)" lines and P's
 * statistics, drawn on stderr and only when stdout is a terminal: runs,
 * steps/s, distinct states, coverage (scenarios or runs done) and, for
 * exhaustive search, the time left estimated from the scenarios done so far.
 */
import type { Progress } from '../properties/check.ts';
import { dur, isTty, num } from './io.ts';

export class ProgressLine {
  private last = 0;
  private shown = false;

  constructor(private readonly enabled: boolean = isTty() && process.stderr.isTTY === true) {}

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 120) return;
    this.last = now;
    const cols = process.stderr.columns ?? 100;
    process.stderr.write(`\r\x1b[K${text.length > cols - 1 ? `${text.slice(0, cols - 2)}…` : text}`);
    this.shown = true;
  }

  /** Clears the line so the report starts clean. */
  clear(): void {
    if (this.enabled && this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  /** Progress of checkDesign. */
  check(p: Progress): void {
    const rate = p.millis > 0 ? `${num(Math.round((p.steps * 1000) / p.millis))} steps/s` : '';
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
    if (p.mode === 'exhaustive') {
      const left = p.done > 0 && p.done < p.total ? ` · ~${dur(Math.round((p.millis * (p.total - p.done)) / p.done))} left` : '';
      this.update(
        `exhaustive${p.property ? ` ${p.property}` : ''}: scenario ${num(p.done)}/${num(p.total)} (${pct}%) · ${num(p.executions)} executions · ${num(p.states)} distinct states · ${rate} · ${dur(p.millis)}${left}`,
      );
    } else {
      this.update(
        `random ${p.property ?? '(every property)'}: run ${num(p.executions)}/${num(p.total)} (${pct}%) · ${num(p.steps)} steps · ${rate} · ${dur(p.millis)}`,
      );
    }
  }
}
