// Undo and redo in the workspace go back to the scenario and twin kept for the latest edits
// (KEPT_STATES) — the very same objects, so going back is immediate at any scale — and older
// steps compute their twin again from the patches; either way the state reached is the one a
// fresh build of that scenario gives, and the change report lists the same route changes.
import { describe, expect, it } from 'vitest';
import { KEPT_STATES, Workspace } from '../../src/viz/workspace.js';
import { buildTwin, diffRoutes, type Twin } from '../../src/engine/index.js';
import { tablesOf } from '../engine/incremental-edits.js';
import { bundledFiles } from './files.js';

const files = bundledFiles();
const FAILURES = ['edge-01', 'esx-02', 'tor-01', 'edge-02', 'se-generic-01'];

const routesOf = (t: Twin) => tablesOf(t);

describe('workspace undo and redo', () => {
  it('go back to the kept scenario and twin, the very same objects, with the same route changes as computing them again', () => {
    const ws = new Workspace({ ...files });
    expect(ws.open('scenarios/tkgi-byot.yaml')).toBe(true);
    const start = { scenario: ws.scenario!, twin: ws.twin! };
    const report = ws.toggle('fail:edge-01')!;
    expect(report.routes.length).toBeGreaterThan(0);
    const failed = { scenario: ws.scenario!, twin: ws.twin! };
    const undone = ws.undo()!;
    expect(ws.scenario).toBe(start.scenario);
    expect(ws.twin).toBe(start.twin);
    // The same changes as the diff of the two twins computed again from scratch.
    expect(undone.routes).toEqual(diffRoutes(buildTwin(failed.scenario), buildTwin(start.scenario)));
    const redone = ws.redo()!;
    expect(ws.scenario).toBe(failed.scenario);
    expect(ws.twin).toBe(failed.twin);
    expect(redone.routes).toEqual(report.routes);
  });

  it('keep the latest edits only; older steps are computed again and reach the state of a fresh build', () => {
    const ws = new Workspace({ ...files });
    ws.open('scenarios/tkgi-byot.yaml');
    const history: { scenario: unknown; twin: Twin }[] = [{ scenario: ws.scenario, twin: ws.twin! }];
    for (const name of FAILURES) {
      expect(ws.toggle(`fail:${name}`), name).not.toBeNull();
      history.push({ scenario: ws.scenario, twin: ws.twin! });
    }
    for (let step = FAILURES.length - 1; step >= 0; step--) {
      ws.undo();
      const target = history[step];
      const kept = FAILURES.length - step <= KEPT_STATES;
      // The latest KEPT_STATES steps return the kept objects; older ones an equal scenario and a twin computed again.
      expect(ws.twin === target.twin, `undo to step ${step}`).toBe(kept);
      expect(ws.scenario).toEqual(target.scenario);
      expect(routesOf(ws.twin!)).toEqual(routesOf(buildTwin(ws.scenario!)));
    }
    expect(ws.canUndo).toBe(false);
    // Redo all: the steps undone by computing them again are computed again; the state at the end is the last one.
    while (ws.canRedo) ws.redo();
    expect(ws.scenario).toEqual(history[FAILURES.length].scenario);
    expect(routesOf(ws.twin!)).toEqual(routesOf(history[FAILURES.length].twin));
  });

  it('a new edit after an undo clears the redo steps and keeps its own states', () => {
    const ws = new Workspace({ ...files });
    ws.open('scenarios/tkgi-byot.yaml');
    ws.toggle('fail:edge-01');
    ws.undo();
    ws.toggle('fail:tor-01');
    expect(ws.canRedo).toBe(false);
    const afterTor = ws.twin!;
    ws.undo();
    ws.redo();
    expect(ws.twin).toBe(afterTor);
    expect(ws.scenario!.failed).toEqual(['tor-01']);
  });
});
