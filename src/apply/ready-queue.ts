/**
 * A first-in first-out queue of plan positions: the actions past their dependencies waiting for
 * their turn. A migration makes 100k of them ready at once, so it holds numbers (8 bytes each in
 * a packed array), not a closure and a promise per action as a p-limit queue does (~900 bytes an
 * action in a heap snapshot of a 100k-agent apply).
 */
export class ReadyQueue {
  private items: number[] = [];
  private head = 0;

  push(position: number): void {
    this.items.push(position);
  }

  /** The oldest position, or undefined when the queue is empty. */
  shift(): number | undefined {
    if (this.head === this.items.length) return undefined;
    const position = this.items[this.head]!;
    this.head += 1;
    // Drop the consumed front once it is most of the array, so the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return position;
  }

  get length(): number {
    return this.items.length - this.head;
  }
}
