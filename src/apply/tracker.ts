import type { PlannedAction } from '../plan/action.js';
import { dependenciesOf, misplacedDependency } from './dependencies.js';

/**
 * Hands each action over, by its position in the plan, once every action it waits for has
 * finished. A migration may plan 100k actions, so it keeps numbers, not objects: a count of
 * unfinished dependencies per action and the dependents of each action as one flat list
 * (compressed rows), about 12 bytes an action plus 4 a dependency, where maps of arrays keyed
 * by action ID held ~200 bytes an action in a heap snapshot of a 100k-agent apply. An action
 * whose dependency is not in the plan, or not before it, is handed to `misplaced` at once:
 * waiting for it might never end.
 */
export class DependencyTracker {
  private readonly unfinished: Int32Array;
  /** The dependents of the action at `p` are `dependents[firstDependent[p] .. firstDependent[p + 1])`. */
  private readonly firstDependent: Int32Array;
  private readonly dependents: Int32Array;
  /** In plan order: the actions with nothing to wait for, and why a misplaced one cannot wait. */
  private readonly initial: { position: number; because?: string }[] = [];

  constructor(
    actions: readonly PlannedAction[],
    positions: ReadonlyMap<string, number>,
    private readonly ready: (position: number) => void,
    private readonly misplaced: (position: number, because: string) => void,
  ) {
    const count = actions.length;
    this.unfinished = new Int32Array(count);
    const waitsFor = actions.map((action, position) => {
      const dependencies = dependenciesOf(action);
      const because = misplacedDependency(dependencies, position, actions, positions);
      if (because !== undefined) {
        this.initial.push({ position, because });
        return undefined;
      }
      // Every ID is in `positions`: misplacedDependency checked it.
      return [...dependencies.required, ...dependencies.members].map((id) => positions.get(id)!);
    });
    this.firstDependent = new Int32Array(count + 1);
    for (const list of waitsFor)
      for (const dependency of list ?? []) this.firstDependent[dependency + 1]! += 1;
    for (let position = 0; position < count; position += 1) {
      this.firstDependent[position + 1]! += this.firstDependent[position]!;
    }
    this.dependents = new Int32Array(this.firstDependent[count]!);
    const filled = this.firstDependent.slice(0, count);
    waitsFor.forEach((list, position) => {
      if (list === undefined) return;
      this.unfinished[position] = list.length;
      for (const dependency of list) this.dependents[filled[dependency]!++] = position;
    });
    for (let position = 0; position < count; position += 1) {
      if (waitsFor[position]?.length === 0) this.initial.push({ position });
    }
    this.initial.sort((a, b) => a.position - b.position);
  }

  /** Hands over, in plan order, the actions with nothing to wait for and the misplaced ones. */
  start(): void {
    for (const { position, because } of this.initial.splice(0)) {
      if (because === undefined) this.ready(position);
      else this.misplaced(position, because);
    }
  }

  /** Called once when an action has its outcome; hands over the dependents it was the last one to wait for. */
  finished(position: number): void {
    const end = this.firstDependent[position + 1]!;
    for (let index = this.firstDependent[position]!; index < end; index += 1) {
      const dependent = this.dependents[index]!;
      this.unfinished[dependent]! -= 1;
      if (this.unfinished[dependent] === 0) this.ready(dependent);
    }
  }
}
