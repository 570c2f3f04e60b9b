DROP INDEX "accounts_username_key";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "platform" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "removed_by" bigint;--> statement-breakpoint
CREATE INDEX "accounts_tags_idx" ON "accounts" USING gin ("tags");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_username_key" ON "accounts" USING btree (lower("username")) WHERE removed_at is null;