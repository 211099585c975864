/**
 * Server-side paging and search for every list: a page size cap, a 1-based page, and a
 * trimmed search string, so no list ever loads everything (10,000 servers stay fast).
 */
import { z } from "zod";

/** Paging input accepted by every list. */
export const pageInput = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

/** Parsed paging input. */
export type PageInput = z.infer<typeof pageInput>;

/** A page of results. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

/** Prisma skip/take for a page. */
export function skipTake(p: PageInput): { skip: number; take: number } {
  return { skip: (p.page - 1) * p.pageSize, take: p.pageSize };
}

/** Wraps items and a total into a Page. */
export function toPage<T>(items: T[], total: number, p: PageInput): Page<T> {
  return { items, total, page: p.page, pageSize: p.pageSize, pages: Math.max(1, Math.ceil(total / p.pageSize)) };
}
