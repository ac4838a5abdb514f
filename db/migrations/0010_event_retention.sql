CREATE TABLE `archive_erasures` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `archive_index` (
	`id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `event_folds` (
	`member_id` text PRIMARY KEY NOT NULL,
	`profile` text NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `retention_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`last_run` text
);
--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);