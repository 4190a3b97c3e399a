import { analyticsRows } from './analytics';
import { orderRows } from './orders';
import type { Row } from './row';

export { at, type Ask, type Row } from './row';

/** Every row of the matrix, by the name the matrix gives it. */
export const rows: Readonly<Record<string, Row>> = { ...orderRows, ...analyticsRows };
