CREATE TABLE `category_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`pattern` text NOT NULL,
	`category` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversions` (
	`experiment_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`member_id` text,
	`arm` text NOT NULL,
	`event_id` text NOT NULL,
	`at` integer NOT NULL,
	`day` integer NOT NULL,
	`value` real,
	PRIMARY KEY(`experiment_id`, `visitor_id`)
);
--> statement-breakpoint
CREATE INDEX `conversions_experiment_arm_day` ON `conversions` (`experiment_id`,`arm`,`day`);--> statement-breakpoint
CREATE INDEX `conversions_member` ON `conversions` (`member_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`visitor_id` text,
	`member_id` text,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`url` text,
	`props` text DEFAULT '{}' NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`breakdown` text DEFAULT '[]' NOT NULL,
	`score_after` real DEFAULT 0 NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_visitor_at` ON `events` (`visitor_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_member_at` ON `events` (`member_id`,`at`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`slot` text NOT NULL,
	`segment` text NOT NULL,
	`goal` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`arms` text NOT NULL,
	`started_at` text,
	`stopped_at` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `exposures` (
	`experiment_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`member_id` text,
	`arm` text NOT NULL,
	`segment` text NOT NULL,
	`at` integer NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `visitor_id`)
);
--> statement-breakpoint
CREATE INDEX `exposures_experiment_arm_day` ON `exposures` (`experiment_id`,`arm`,`day`);--> statement-breakpoint
CREATE INDEX `exposures_member` ON `exposures` (`member_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`traits` text DEFAULT '{}' NOT NULL,
	`profile` text,
	`score` real DEFAULT 0 NOT NULL,
	`last_active_at` integer,
	`version` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `members_score` ON `members` (`score`);--> statement-breakpoint
CREATE TABLE `scoring_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`event_type` text NOT NULL,
	`match` text DEFAULT '{}' NOT NULL,
	`points` integer NOT NULL,
	`daily_cap` integer,
	`enabled` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`priority` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`rule` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_key` ON `segments` (`key`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `slots` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `variants` (
	`id` text PRIMARY KEY NOT NULL,
	`slot` text NOT NULL,
	`segment` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`html` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `variants_slot_segment` ON `variants` (`slot`,`segment`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text,
	`profile` text,
	`score` real DEFAULT 0 NOT NULL,
	`last_active_at` integer,
	`version` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `visitors_member` ON `visitors` (`member_id`);