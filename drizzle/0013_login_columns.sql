-- The saved Playwright storage state is a "login" (a "session" is one account's warmup in a browser):
-- the columns are renamed, their data kept.
ALTER TABLE "accounts" RENAME COLUMN "session_encrypted" TO "login_encrypted";--> statement-breakpoint
ALTER TABLE "accounts" RENAME COLUMN "session_updated_at" TO "login_updated_at";
