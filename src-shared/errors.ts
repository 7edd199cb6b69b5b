// One error type for every surface: a stable `code` for programs, a readable message for people,
// and the HTTP status the Lambda answers with.

export type ErrorCode =
  | 'empty_file'
  | 'unsupported_type'
  | 'corrupt_image'
  | 'image_too_large'
  | 'payload_too_large'
  | 'invalid_argument'
  | 'invalid_model'
  | 'model_not_found'
  | 'cloud_unreachable'
  | 'cloud_error'
  | 'cancelled'
  | 'internal';

const HTTP_STATUS: Record<ErrorCode, number> = {
  empty_file: 400,
  unsupported_type: 415,
  corrupt_image: 422,
  image_too_large: 413,
  payload_too_large: 413,
  invalid_argument: 400,
  invalid_model: 500,
  model_not_found: 500,
  cloud_unreachable: 502,
  cloud_error: 502,
  cancelled: 400,
  internal: 500,
};

export class CheckboxError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CheckboxError';
    this.code = code;
    this.httpStatus = options?.httpStatus ?? HTTP_STATUS[code];
  }
}

export function isCheckboxError(err: unknown): err is CheckboxError {
  return err instanceof CheckboxError;
}

/** Any thrown value as a CheckboxError; unknown failures become 'internal'. */
export function toCheckboxError(err: unknown): CheckboxError {
  if (err instanceof CheckboxError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CheckboxError('internal', message, { cause: err });
}
