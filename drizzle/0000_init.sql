CREATE TABLE "accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"proxy_url" text,
	"session_encrypted" "bytea",
	"session_updated_at" timestamp with time zone,
	"health" text DEFAULT 'unknown' NOT NULL,
	"health_message" text,
	"health_updated_at" timestamp with time zone,
	"last_warmed_at" timestamp with time zone,
	"locale" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_health_check" CHECK ("accounts"."health" in ('unknown', 'ok', 'logged_out', 'captcha', 'blocked', 'proxy_error'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" bigint,
	"action" text NOT NULL,
	"task_id" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_log_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"run_number" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"line" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_screenshots" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"run_number" integer NOT NULL,
	"png" "bytea" NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"run_number" integer DEFAULT 1 NOT NULL,
	"counters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"capped_by_time" boolean DEFAULT false NOT NULL,
	"reason_code" text,
	"reason_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_id" uuid,
	CONSTRAINT "runs_status_check" CHECK (status in ('pending', 'running', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'warmup' NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"run_number" integer DEFAULT 1 NOT NULL,
	"settings" jsonb NOT NULL,
	"chat_id" bigint,
	"created_by" bigint,
	"restarted_by" bigint,
	"progress_message_id" integer,
	CONSTRAINT "tasks_status_check" CHECK (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "tasks_kind_check" CHECK ("tasks"."kind" in ('warmup', 'upload'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"telegram_id" bigint PRIMARY KEY NOT NULL,
	"username" text,
	"role" text NOT NULL,
	"language" text,
	"granted_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('viewer', 'operator', 'admin'))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_log_lines" ADD CONSTRAINT "run_log_lines_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_screenshots" ADD CONSTRAINT "run_screenshots_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_username_key" ON "accounts" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "audit_log_task_idx" ON "audit_log" USING btree ("task_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "run_log_lines_run_idx" ON "run_log_lines" USING btree ("run_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_task_account_key" ON "runs" USING btree ("task_id","account_id");--> statement-breakpoint
CREATE INDEX "runs_account_status_idx" ON "runs" USING btree ("account_id","status");--> statement-breakpoint
CREATE INDEX "runs_unfinished_idx" ON "runs" USING btree ("task_id") WHERE status in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "tasks_status_id_idx" ON "tasks" USING btree ("status","id" DESC NULLS LAST);