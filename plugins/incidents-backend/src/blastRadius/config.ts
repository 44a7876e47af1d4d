import { Config } from '@backstage/config';

/** Reads `incidents.blastRadius.maxDepth` (1 to 20, default 5). */
export function readBlastRadiusMaxDepth(root: Config): number {
  const key = 'incidents.blastRadius.maxDepth';
  const value = root.getOptionalNumber(key) ?? 5;
  if (!Number.isInteger(value) || value < 1 || value > 20) {
    throw new Error(`${key}: ${value} is not an integer from 1 to 20`);
  }
  return value;
}
