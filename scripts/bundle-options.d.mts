import type { BuildOptions } from 'esbuild';

export declare const BUNDLE_BASE: BuildOptions;
export declare const FUNCTION_BUNDLE: BuildOptions;
export declare const CLI_BUNDLE: BuildOptions;
