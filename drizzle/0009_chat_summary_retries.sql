ALTER TABLE "chat_settings" ADD COLUMN "digest_tries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_settings" ADD COLUMN "digest_retry_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_settings" ADD COLUMN "digest_chart_on" date;--> statement-breakpoint
ALTER TABLE "chat_settings" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "chat_settings" ADD CONSTRAINT "chat_settings_digest_tries_check" CHECK ("chat_settings"."digest_tries" >= 0);