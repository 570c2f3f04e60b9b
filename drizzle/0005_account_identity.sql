ALTER TABLE "accounts" ADD COLUMN "identity" jsonb;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "browser" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "browser_profile" jsonb;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_browser_check" CHECK ("accounts"."browser" in ('local', 'cdp'));