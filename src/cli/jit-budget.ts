// The V8 tiering budget of a command-line run. V8 sends a function to its optimizing compiler once
// it has run a budget of bytecode; a command is one short run that builds each table once, and at
// V8's default budget a mid-size build spends about a quarter of its CPU compiling code it then
// barely runs (bench section j: `nsx-twin routes` on a generated M file, with V8's default beside).
// A budget 15× larger leaves the optimizing compiler to the code that stays hot. A budget given to
// node (`node --interrupt-budget=N …` or in NODE_OPTIONS) is kept.

/** The budget a command runs with (V8's default in node 20 is 67,584). */
export const COMMAND_INTERRUPT_BUDGET = 1_000_000;

/** Whether node was given an interrupt budget of its own (its arguments, then NODE_OPTIONS). */
export function budgetGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = (a: string) => a === '--interrupt-budget' || a.startsWith('--interrupt-budget=') || a === '--interrupt_budget' || a.startsWith('--interrupt_budget=');
  return execArgv.some(given) || (nodeOptions ?? '').split(/\s+/).some(given);
}

/** Sets the command's budget unless node was given one; once per process. */
export async function useCommandBudget(): Promise<void> {
  if (applied || budgetGiven(process.execArgv, process.env.NODE_OPTIONS)) return;
  applied = true;
  const v8 = await import('node:v8');
  v8.setFlagsFromString(`--interrupt-budget=${COMMAND_INTERRUPT_BUDGET}`);
}

let applied = false;
