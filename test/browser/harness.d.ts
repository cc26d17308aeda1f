import type { Page } from '@playwright/test';

export declare const PAGE_DIR: string;
export declare function buildPage(): Promise<void>;
export declare const ISOLATED: Record<string, string>;
export declare function serve(root?: string, headers?: Record<string, string>): Promise<{ url: string; close(): Promise<void> }>;
export declare function openPage(page: Page, url: string): Promise<void>;
export declare function browserPid(userDataDir: string): Promise<number>;
