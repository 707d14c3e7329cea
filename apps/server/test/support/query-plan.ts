/** A node of an `EXPLAIN (FORMAT JSON)` plan (the fields the plan tests read; the actual ones with ANALYZE). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/**
 * The root node of the plan in the rows an `EXPLAIN (…, FORMAT JSON)` query answered (the column may come
 * parsed or as JSON text, as the driver path gives it).
 */
export function rootPlan(rows: unknown): PlanNode {
  const [row] = rows as { 'QUERY PLAN': unknown }[];
  const plan = row?.['QUERY PLAN'];
  return ((typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[])[0]!.Plan;
}

/** The node and every node below it, depth first. */
export const planNodes = (root: PlanNode): PlanNode[] => [root, ...(root.Plans ?? []).flatMap(planNodes)];
