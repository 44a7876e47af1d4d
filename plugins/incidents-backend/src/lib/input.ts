/*
 * Input limits every request meets, whatever the endpoint: checked on the
 * parsed JSON body (and the query) before the OpenAPI validation, so no
 * later step (zod, JSON.stringify, the database) sees a value it can't
 * handle. A value breaking one is a 400 naming the field. The README's
 * "Input limits" lists them.
 */
import { InputError } from '@backstage/errors';
import { RequestHandler } from 'express';
import { DateTime } from 'luxon';

/** Deepest nesting of objects and arrays accepted in a request body. */
export const MAX_JSON_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string can't be stored, or undefined when it can. */
function badString(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) {
    return 'must not contain lone UTF-16 surrogates';
  }
  return undefined;
}

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key)
    ? `${parent}.${key}`
    : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Throws an InputError naming the first field that breaks a limit: nesting
 * deeper than {@link MAX_JSON_DEPTH}, a string (value or key) with a NUL
 * character or a lone surrogate, an integer beyond 2^53 − 1 (JSON numbers
 * that large are silently rounded).
 */
export function checkJsonInput(value: unknown, field: string, depth = 0) {
  if (typeof value === 'string') {
    const problem = badString(value);
    if (problem) throw new InputError(`${field}: ${problem}`);
    return;
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new InputError(
        `${field}: ${value} is beyond the largest exact integer (2^53 - 1)`,
      );
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) {
    throw new InputError(
      `${field}: nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      checkJsonInput(item, fieldPath(field, index), depth + 1),
    );
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = badString(key);
    if (problem) throw new InputError(`${field}: a key ${problem}`);
    checkJsonInput(item, fieldPath(field, key), depth + 1);
  }
}

/** {@link checkJsonInput} on every request's body and query. */
export const checkRequestInput: RequestHandler = (req, _res, next) => {
  checkJsonInput(req.query, 'query');
  if (req.body !== undefined) checkJsonInput(req.body, 'body');
  next();
};

/** The trimmed text; a missing, empty or whitespace-only one is a 400. */
export function requireText(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new InputError(`${field}: must not be blank`);
  return trimmed;
}

/**
 * The URL when it is an absolute http or https URL. Links are rendered as
 * hrefs, so `javascript:`, `data:` and other schemes are a 400.
 */
export function requireHttpUrl(value: string, field: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(`${field}: must be an http(s) URL`);
  }
  return value;
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30 or 0000-00-00). */
export function requireCalendarDate(value: string, field: string): string {
  const date = DateTime.fromFormat(value, 'yyyy-MM-dd', { zone: 'utc' });
  if (!date.isValid || date.year < 1) {
    throw new InputError(`${field}: '${value}' is not a calendar date`);
  }
  return value;
}
