/**
 * Checking real answers against the server's OpenAPI document: a validator of answers compiled
 * from the document (ajv, JSON Schema 2020-12), and a proxy in front of a real server that
 * validates every answer passing through it.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

type JsonObject = Record<string, unknown>;

/** An OpenAPI document as the server serves it. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: JsonObject; securitySchemes: JsonObject };
}

/** One answer that does not match the document. */
export interface Mismatch {
  method: string;
  path: string;
  status: number;
  problem: string;
}

/** What a validating proxy saw. */
export interface ValidatingProxy {
  /** The URL to give clients. */
  url: string;
  /**
   * Sets where requests go and fetches the document answers are checked against (the server
   * starts after the proxy, to learn its public URL).
   */
  connect(upstream: string): Promise<void>;
  /** Answers that did not match. */
  mismatches: Mismatch[];
  /** `METHOD template status` of every answer checked. */
  checked: Set<string>;
  /** Stops the proxy. */
  close(): Promise<void>;
}

const DOCUMENT_ID = "https://arca.invalid/openapi.json";

/** Checks answers against a document: `check(method, path, status, contentType, text)`. */
export class AnswerValidator {
  readonly #document: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #templates: Array<{ template: string; pattern: RegExp; params: number }>;

  constructor(document: OpenApiDocument) {
    this.#document = document;
    this.#ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    this.#ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.#templates = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      params: (template.match(/\{/g) ?? []).length,
    })).sort((a, b) => a.params - b.params);
  }

  /** The template of the operation a request reaches, or `undefined`. */
  templateOf(method: string, pathname: string): string | undefined {
    return this.#templates.find(({ template, pattern }) =>
      pattern.test(pathname) && this.#document.paths[template]?.[method.toLowerCase()]
    )?.template;
  }

  /** A problem with a value of `components.schemas[name]`, or `undefined` when it matches. */
  checkComponent(name: string, value: unknown): string | undefined {
    const validate = this.#validator({ $ref: `#/components/schemas/${name}` });
    if (validate(value)) return undefined;
    return `${name}: ${this.#ajv.errorsText(validate.errors)} in ${JSON.stringify(value)}`;
  }

  /** A problem with one answer, or `undefined` when it matches the document. */
  check(
    method: string,
    template: string,
    status: number,
    contentType: string,
    text: string,
  ): string | undefined {
    const operation = this.#document.paths[template]?.[method.toLowerCase()];
    const responses = operation?.responses as Record<string, JsonObject> | undefined;
    const response = responses?.[String(status)];
    if (response === undefined) return `status ${status} is not documented`;
    const content = response.content as Record<string, { schema: JsonObject }> | undefined;
    if (content === undefined) {
      return text === "" ? undefined : `documented without a body, got ${text.slice(0, 80)}`;
    }
    const mediaType = Object.keys(content).find((type) => contentType.startsWith(type));
    if (mediaType === undefined) {
      return `content type ${contentType} is not documented (${Object.keys(content)})`;
    }
    if (mediaType !== "application/json") return undefined;
    const validate = this.#validator(content[mediaType]!.schema);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `not JSON: ${text.slice(0, 80)}`;
    }
    if (validate(body)) return undefined;
    return `${this.#ajv.errorsText(validate.errors)} in ${text.slice(0, 200)}`;
  }

  #validator(schema: JsonObject): ValidateFunction {
    const key = JSON.stringify(schema);
    const known = this.#compiled.get(key);
    if (known !== undefined) return known;
    const ref = schema.$ref;
    const validate = this.#ajv.compile(
      typeof ref === "string" ? { $ref: `${DOCUMENT_ID}${ref}` } : schema,
    );
    this.#compiled.set(key, validate);
    return validate;
  }
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every request and checks every answer against the
 * upstream's own `GET /openapi.json`; answers that are not JSON (bytes, event streams) pass
 * through as streams after their status and content type are checked.
 */
export function startValidatingProxy(): ValidatingProxy {
  let validator: AnswerValidator | undefined;
  const mismatches: Mismatch[] = [];
  const checked = new Set<string>();
  let upstream = "";
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const headers = new Headers(req.headers);
    headers.delete("host");
    const body = req.body === null ? undefined : new Uint8Array(await req.arrayBuffer());
    const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      redirect: "manual",
      ...(body === undefined ? {} : { body }),
    });
    if (validator === undefined) throw new Error("connect the proxy first");
    const template = validator.templateOf(req.method, url.pathname);
    const record = (problem: string | undefined) => {
      checked.add(`${req.method} ${template} ${answer.status}`);
      if (problem !== undefined) {
        mismatches.push({ method: req.method, path: url.pathname, status: answer.status, problem });
      }
    };
    const contentType = answer.headers.get("content-type") ?? "";
    if (template === undefined) {
      record(`no documented operation for ${req.method} ${url.pathname}`);
    } else if (!contentType.startsWith("application/json")) {
      record(validator.check(req.method, template, answer.status, contentType, ""));
      if (!contentType.startsWith("text/event-stream") || answer.body === null) {
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
      }
      const [toClient, toCheck] = answer.body.tee();
      checkEvents(toCheck, validator, (problem) => {
        if (problem === undefined) checked.add("SSE containerEvent");
        else mismatches.push({ method: req.method, path: url.pathname, status: 200, problem });
      });
      return new Response(toClient, { status: answer.status, headers: answer.headers });
    }
    const text = await answer.text();
    if (template !== undefined) {
      record(validator.check(req.method, template, answer.status, contentType, text));
    }
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      headers: answer.headers,
    });
  });
  return {
    url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    async connect(next) {
      upstream = next;
      const answer = await fetch(`${upstream}/openapi.json`);
      validator = new AnswerValidator(await answer.json());
    },
    mismatches,
    checked,
    async close() {
      await server.shutdown();
    },
  };
}

/**
 * Reads a Server-Sent Events stream to its end and checks the JSON `data:` of every event
 * against the `containerEvent` schema, reporting each event's outcome.
 */
async function checkEvents(
  stream: ReadableStream<Uint8Array>,
  validator: AnswerValidator,
  report: (problem: string | undefined) => void,
): Promise<void> {
  let pending = "";
  try {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const events = pending.split("\n\n");
      pending = events.pop() ?? "";
      for (const event of events) {
        const data = event.split("\n").filter((line) => line.startsWith("data:"));
        if (data.length === 0) continue; // a comment (the heartbeat)
        const text = data.map((line) => line.slice("data:".length).trim()).join("\n");
        report(validator.checkComponent("containerEvent", JSON.parse(text)));
      }
    }
  } catch {
    // The client went away: the stream ends with it.
  }
}
