// Request and image limits of the HTTP API. The byte limits follow Lambda's synchronous invoke quota:
// the event (with the body, base64 when binary) and the response must each stay under 6 MiB.

export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface ApiLimits {
  /** Largest request body accepted, in bytes (the body as it reaches the app, after any base64 decoding). */
  maxBodyBytes: number;
  /** Largest decoded page, in pixels (width x height); bigger pages get 413 image_too_large. */
  maxPixels: number;
  /** Largest annotated image returned by /predict/image; Lambda base64-encodes binary responses (4/3). */
  maxResponseBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: LAMBDA_SYNC_PAYLOAD_BYTES,
  // An A3 page at 300 DPI is 17.4 MP; 40 MP leaves room and bounds memory at ~120 MB of RGB.
  maxPixels: 40_000_000,
  maxResponseBytes: Math.floor((LAMBDA_SYNC_PAYLOAD_BYTES - 64 * 1024) * 0.75),
};

/** The highest page number a request may ask for; far beyond any real form. */
export const MAX_PAGE = 10_000;

/** PDF render resolutions a request may ask for (the CLI's --dpi range). */
export const MIN_DPI = 36;
export const MAX_DPI = 1200;
