import { solveAssignment } from '@riderflow/dispatch/core';

/**
 * Minimum-cost assignment for an n×m cost matrix: per row, the matched column or -1. Rostering
 * uses the same solver as dispatch (one Hungarian implementation in the repository).
 */
export function hungarian(cost: number[][]): number[] {
  return Array.from(solveAssignment(cost).rowToCol);
}
