import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/**
 * The rows a ranking of `rankMovers` (lib/kpi/movers.ts) can use, as one SQL query: the first `limit`
 * rows of each side in the rule's order (a finite gain above zero, highest first; below zero, lowest
 * first; ties by symbol in byte order), `select`ed from `from` where `where` holds. PostgreSQL then
 * returns at most twice `limit` rows rather than every symbol's, and `rankMovers` ranks them as it
 * would rank all of them. "Finite" needs saying: PostgreSQL orders NaN above every number.
 */
export function buildMoverCandidatesQuery(options: {
  select: SQL;
  from: SQLWrapper;
  where: SQL;
  gain: SQLWrapper;
  symbol: SQLWrapper;
  limit: number;
}): SQL {
  const { select, from, where, gain, symbol } = options;
  // As rankMovers takes it: a negative limit keeps nothing, a fractional one its whole part.
  const limit = Math.max(0, Math.trunc(options.limit));
  const side = (filter: SQL, order: SQL) =>
    sql`(select ${select} from ${from} where (${where}) and ${filter} order by ${order}, ${symbol} collate "C" limit ${limit})`;
  return sql`${side(sql`${gain} > 0 and ${gain} < 'Infinity'::double precision`, sql`${gain} desc`)}
    union all ${side(sql`${gain} < 0 and ${gain} > '-Infinity'::double precision`, sql`${gain} asc`)}`;
}
