/** Types of admin/size.mjs (the console's initial-download measure). */
export declare const ADMIN_GZIP_BUDGET: number;
export declare const adminDir: string;
export interface AdminInitialSize {
  files: string[];
  raw: number;
  gzip: number;
  budget: number;
  /** The language chunk counted (the larger of `assets/lang-*.js`), or null when there is none. */
  language: { file: string; gzip: number } | null;
}
export declare function adminInitialSize(dir?: string): AdminInitialSize;
