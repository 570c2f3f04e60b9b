ALTER TABLE "runs" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "effects" jsonb DEFAULT '{}'::jsonb NOT NULL;