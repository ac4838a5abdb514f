CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`member_id` text,
	`kind` text DEFAULT 'alert' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_index` integer DEFAULT 0 NOT NULL,
	`token` text,
	`lease_until` integer,
	`next_attempt_at` integer NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`response_excerpt` text,
	`snapshot` text DEFAULT '{}' NOT NULL,
	`payload` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_cooldown` ON `alert_deliveries` (`alert_id`,`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_member` ON `alert_deliveries` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_created` ON `alert_deliveries` (`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_due` ON `alert_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`trigger` text NOT NULL,
	`destination` text NOT NULL,
	`cooldown_days` integer DEFAULT 7 NOT NULL,
	`secret` text NOT NULL,
	`console_origin` text DEFAULT '' NOT NULL,
	`disabled_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_pacing` (
	`destination` text PRIMARY KEY NOT NULL,
	`next_at` integer NOT NULL
);
