CREATE TABLE "chat_settings" (
	"chat_id" bigint PRIMARY KEY NOT NULL,
	"time_zone" text,
	"quiet_from" integer,
	"quiet_until" integer,
	"quiet_urgent" boolean DEFAULT true NOT NULL,
	"digest_at" integer,
	"digest_sent_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_settings_quiet_check" CHECK (("chat_settings"."quiet_from" is null) = ("chat_settings"."quiet_until" is null)),
	CONSTRAINT "chat_settings_quiet_from_check" CHECK ("chat_settings"."quiet_from" between 0 and 1439),
	CONSTRAINT "chat_settings_quiet_until_check" CHECK ("chat_settings"."quiet_until" between 0 and 1439),
	CONSTRAINT "chat_settings_digest_at_check" CHECK ("chat_settings"."digest_at" between 0 and 1439)
);
--> statement-breakpoint
CREATE TABLE "programme_accounts" (
	"programme_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"from_day" integer DEFAULT 1 NOT NULL,
	"until_day" integer,
	CONSTRAINT "programme_accounts_programme_id_account_id_pk" PRIMARY KEY("programme_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "programme_slots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"programme_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"day" integer NOT NULL,
	"seq" integer NOT NULL,
	"preset" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"skip_reason" text,
	"task_id" integer,
	"settled_at" timestamp with time zone,
	CONSTRAINT "programme_slots_status_check" CHECK (status in ('planned', 'created', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"ramp" jsonb NOT NULL,
	"windows" jsonb NOT NULL,
	"time_zone" text NOT NULL,
	"sessions_min" integer NOT NULL,
	"sessions_max" integer NOT NULL,
	"min_gap_minutes" integer NOT NULL,
	"start_date" date NOT NULL,
	"seed" integer NOT NULL,
	"chat_id" bigint,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programmes_status_check" CHECK (status in ('active', 'paused', 'stopped', 'finished')),
	CONSTRAINT "programmes_sessions_check" CHECK ("programmes"."sessions_min" >= 1 and "programmes"."sessions_max" >= "programmes"."sessions_min")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "quarantined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "quarantine_reason" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "quarantine_run_id" integer;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "held_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "programme_id" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "programme_day" integer;--> statement-breakpoint
ALTER TABLE "programme_accounts" ADD CONSTRAINT "programme_accounts_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_accounts" ADD CONSTRAINT "programme_accounts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_slots" ADD CONSTRAINT "programme_slots_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_slots" ADD CONSTRAINT "programme_slots_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_slots" ADD CONSTRAINT "programme_slots_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "programme_slots_key" ON "programme_slots" USING btree ("programme_id","account_id","day","seq");--> statement-breakpoint
CREATE INDEX "programme_slots_due_idx" ON "programme_slots" USING btree ("due_at") WHERE status = 'planned';--> statement-breakpoint
CREATE UNIQUE INDEX "programmes_live_name_key" ON "programmes" USING btree (lower("name")) WHERE status in ('active', 'paused');--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_programme_idx" ON "tasks" USING btree ("programme_id","programme_day") WHERE programme_id is not null;