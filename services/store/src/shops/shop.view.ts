import { OpeningHoursRule } from './opening-hours';

/** One opening-hours rule: on these ISO weekdays, from `opens` to `closes` (wall clock of `time_zone`). */
export class OpeningHoursRuleView implements OpeningHoursRule {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days!: number[];
  /** HH:MM, inclusive. */
  opens!: string;
  /** HH:MM after `opens` (24:00 for midnight), exclusive. */
  closes!: string;
}

export class ShopView {
  id!: string;
  station!: string;
  name!: string;
  /** Where in the station ("Hall B, next to platform 4"). */
  location!: string;
  /** No rule at all means never open. */
  opening_hours!: OpeningHoursRuleView[];
  /** The IANA time zone the opening hours are read in: the station's (`STORE_TIMEZONE`), the same for every shop. */
  time_zone!: string;
  /** An inactive shop is invisible to the public and takes no orders, whatever its hours. */
  active!: boolean;
  /** Active and inside its opening hours at the time of the answer. */
  open_now!: boolean;
  created_at!: string;
  updated_at!: string;
}
