CREATE TABLE `propensity_models` (
	`key` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`trained_at` integer NOT NULL
);
