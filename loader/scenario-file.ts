/**
 * Reading a scenario file from disk; properties/scenario-file.ts parses and
 * checks its text (file I/O is kept out of properties/).
 */
import { readFileSync } from 'node:fs';
import type { Design } from '../model/design.ts';
import type { Domain } from '../model/domain.ts';
import { type LoadedScenario, parseScenario, ScenarioFileError } from '../properties/scenario-file.ts';

/** Reads a scenario file (a missing or unreadable file is a ScenarioFileError too). */
export function readScenario(path: string, domain: Domain, design: Design<object>): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioFileError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseScenario(text, domain, design, path);
}
