// One JSON line per request, for CloudWatch (Lambda sends stdout there) or the local server's console.
export interface RequestLogLine {
  /** Method and path, e.g. "POST /predict". */
  route: string;
  /** 499: the client went away before the answer (not a server error). */
  status: number;
  ms: number;
  requestId: string;
  /** For detection routes: the page detected, the file's page count and the boxes found. */
  page?: number;
  pages?: number;
  boxes?: number;
}

export type RequestLog = (line: RequestLogLine) => void;

export const logRequest: RequestLog = (line) => console.log(JSON.stringify(line));
