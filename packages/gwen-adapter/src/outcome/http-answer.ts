/** A complete HTTP answer from GWEN: status, headers and the whole body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly durationMs: number;
}
