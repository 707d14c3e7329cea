import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** `/v1/messages/{messageId}` → a JSON pointer token. */
const pointerToken = (text: string) => encodeURIComponent(text.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * Answers checked against the served OpenAPI 3.1 document: the status must be documented for the route, the body
 * valid against its schema (JSON Schema 2020-12, ajv), a refusal's code one the document lists for that status.
 * Records which routes answered a success and a refusal, so a test can require that every route did.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly seen = new Map<string, Set<'success' | 'refusal'>>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
  }

  /** Every documented operation as `METHOD /path/{template}`. */
  operations(): string[] {
    const paths = this.document.paths as Record<string, Json>;
    return Object.entries(paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method] !== undefined).map(
        (method) => `${method.toUpperCase()} ${path}`,
      ),
    );
  }

  /** Checks one answer of `METHOD /template` and records it; throws with the route, status and what is wrong. */
  check(operation: string, response: Response): Response {
    const [method, path] = operation.split(' ') as [string, string];
    const item = (this.document.paths as Record<string, Json>)[path];
    const documented = item?.[method.toLowerCase()] as Json | undefined;
    if (!documented) throw new Error(`${operation} is not in the document`);
    const status = String(response.status);
    const responses = documented.responses as Record<string, Json>;
    const declared = responses[status];
    const where = `${operation} → ${status}`;
    if (!declared) {
      throw new Error(
        `${where} is not documented (documented: ${Object.keys(responses).join(', ')}); body ${response.text}`,
      );
    }
    const content = declared.content as Record<string, { schema?: unknown; examples?: Json }> | undefined;
    if (!content) {
      if (response.text) throw new Error(`${where} documents no body but answered ${response.text}`);
    } else {
      const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
      const media = content[type];
      if (!media) throw new Error(`${where} answered ${type}, documented ${Object.keys(content).join(', ')}`);
      const pointer = `#/paths/${pointerToken(path)}/${method.toLowerCase()}/responses/${status}/content/${pointerToken(type)}/schema`;
      const validate =
        this.ajv.getSchema(`openapi.json${pointer}`) ?? this.ajv.compile({ $ref: `openapi.json${pointer}` });
      const body: unknown = type === 'application/json' ? response.body : response.text;
      if (!validate(body)) {
        throw new Error(
          `${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`,
        );
      }
      if (response.status >= 400 && media.examples) {
        const code = (response.body as { code?: string }).code ?? '';
        const codes = Object.keys(media.examples);
        if (!codes.includes(code))
          throw new Error(`${where}: code ${code} is not documented (${codes.join(', ')})`);
      }
    }
    const outcome = response.status < 400 ? 'success' : 'refusal';
    const seen = this.seen.get(operation) ?? new Set();
    seen.add(outcome);
    this.seen.set(operation, seen);
    return response;
  }

  /**
   * Properties documented as a bare object: what @nestjs/swagger writes for a TypeScript union (`'A' | 'B'`,
   * `string | null`) without an explicit type, and a different type under tsc than under swc.
   */
  untypedProperties(): string[] {
    const schemas = ((this.document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
    return Object.entries(schemas).flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, Json>)
        .filter(
          ([, property]) =>
            property.type === 'object' &&
            !['properties', 'additionalProperties', '$ref', 'allOf', 'anyOf', 'oneOf'].some(
              (k) => k in property,
            ),
        )
        .map(([property]) => `${name}.${property}`),
    );
  }

  /** Operations without a checked success, or without a checked refusal (unless exempted). */
  missing(refusalExempt: readonly string[]): string[] {
    return this.operations().flatMap((operation) => {
      const seen = this.seen.get(operation) ?? new Set();
      const gaps: string[] = [];
      if (!seen.has('success')) gaps.push(`${operation}: no success`);
      if (!seen.has('refusal') && !refusalExempt.includes(operation)) gaps.push(`${operation}: no refusal`);
      return gaps;
    });
  }
}
