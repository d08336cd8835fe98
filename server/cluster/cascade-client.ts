// The calling side of the cascade's internal channel: POSTs to another node's /internal/cascade/*
// endpoints with the cluster secret, bounded in time, and checks what comes back.
import {
  CASCADE_PATHS,
  CascadeError,
  pipeAnswerSchema,
  pipeDataAnswerSchema,
  type PipeAnswer,
  type PipeClosed,
  type PipeDataAnswer,
  type PipeRequest,
  type ProducerEvent,
} from './cascade-protocol';

export interface CascadeClientOptions {
  /** CLUSTER_SECRET: every node shares it. */
  secret: string;
  /** The base URL of a node's HTTP server (its internal endpoints), e.g. from the node registry. */
  resolveNode: (nodeId: string) => Promise<string>;
  /** Per request; a pipe waits on it, so keep it short. Default 5 s. */
  timeoutMs?: number;
  /** Injectable for HTTPS with a private CA, or for tests. */
  fetch?: typeof fetch;
}

export class CascadeClient {
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CascadeClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async pipe(nodeId: string, request: PipeRequest): Promise<PipeAnswer> {
    const body = await this.post(nodeId, CASCADE_PATHS.pipe, request);
    const answer = pipeAnswerSchema.safeParse(body);
    if (!answer.success) throw new CascadeError(502, 'BAD_ANSWER', `node ${nodeId} answered a pipe request with an invalid body`);
    return answer.data;
  }

  async pipeData(nodeId: string, request: PipeRequest): Promise<PipeDataAnswer> {
    const body = await this.post(nodeId, CASCADE_PATHS.pipeData, request);
    const answer = pipeDataAnswerSchema.safeParse(body);
    if (!answer.success) throw new CascadeError(502, 'BAD_ANSWER', `node ${nodeId} answered a pipe-data request with an invalid body`);
    return answer.data;
  }

  async producerEvent(nodeId: string, event: ProducerEvent): Promise<void> {
    await this.post(nodeId, CASCADE_PATHS.producerEvent, event);
  }

  async pipeClosed(nodeId: string, message: PipeClosed): Promise<void> {
    await this.post(nodeId, CASCADE_PATHS.pipeClosed, message);
  }

  private async post(nodeId: string, path: string, payload: unknown): Promise<unknown> {
    const base = await this.options.resolveNode(nodeId);
    let response: Response;
    try {
      response = await this.fetch(new URL(path, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.secret}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CascadeError(503, 'UNREACHABLE', `node ${nodeId} did not answer ${path}: ${why}`);
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof error?.code === 'string' ? error.code : 'HTTP_ERROR';
      const message = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
      throw new CascadeError(response.status, code, `node ${nodeId} refused ${path}: ${message}`);
    }
    return body;
  }
}
