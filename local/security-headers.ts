/**
 * Security headers of the pages the local runtime serves besides the console (the demo page, the
 * sign-in page): a strict CSP with nothing inline, the same promise the widget makes to host pages.
 */
export interface CspOptions {
  /** Origins the page may call besides its own (the API of the demo page). */
  readonly connect?: readonly string[];
  /** Where forms may go ('none' unless given). */
  readonly formAction?: string;
}

export function strictCsp(options: CspOptions = {}): string {
  const connect = [...new Set(["'self'", ...(options.connect ?? [])])].join(' ');
  return `default-src 'self'; connect-src ${connect}; img-src 'self' data:; base-uri 'none'; form-action ${options.formAction ?? "'none'"}; frame-ancestors 'none'; object-src 'none'`;
}
