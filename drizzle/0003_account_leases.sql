CREATE TABLE "account_leases" (
	"account_id" integer PRIMARY KEY NOT NULL,
	"token" bigint NOT NULL,
	"run_id" integer,
	"holder" text,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_health_check";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "job_attempt" integer;--> statement-breakpoint
ALTER TABLE "account_leases" ADD CONSTRAINT "account_leases_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_log_lines_at_idx" ON "run_log_lines" USING btree ("at");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_health_check" CHECK (health in ('unknown', 'ok', 'logged_out', 'captcha', 'blocked', 'proxy_error'));