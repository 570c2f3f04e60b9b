ALTER TABLE "bot_updates" ALTER COLUMN "payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "proxy_encrypted" "bytea";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "proxy_host" text;--> statement-breakpoint
ALTER TABLE "bot_updates" ADD COLUMN "payload_encrypted" "bytea";--> statement-breakpoint
ALTER TABLE "bot_updates" ADD COLUMN "sent_at" timestamp with time zone;