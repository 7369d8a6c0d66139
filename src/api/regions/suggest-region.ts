import { isLocationRegion } from './location-regions.js';

/**
 * IANA time zones → an Akash location-region code (location-regions.ts). A time zone names a city,
 * so it can only suggest: where one zone spans several regions (America/Chicago covers the Midwest
 * and Texas) the suggestion is the region most of the zone lies in, and the person confirms it.
 * Zones with no region of their own in the list (Mexico, Antarctica, oceans) suggest nothing.
 */
const REGION_BY_ZONE: ReadonlyArray<[RegExp, string]> = [
  // North America: Canada by province, the US by the Console's five regions.
  [/^America\/Vancouver$/, 'na-ca-west'],
  [/^America\/(Edmonton|Regina|Swift_Current|Winnipeg)$/, 'na-ca-prairie'],
  [/^America\/(Toronto|Montreal|Nipigon|Thunder_Bay|Rainy_River)$/, 'na-ca-central'],
  [/^America\/(Halifax|St_Johns|Moncton|Glace_Bay|Goose_Bay)$/, 'na-ca-atlantic'],
  [/^America\/(Whitehorse|Dawson|Yellowknife|Inuvik|Iqaluit|Rankin_Inlet|Cambridge_Bay)$/, 'na-ca-north'],
  [/^(America\/(Los_Angeles|Boise|Denver|Anchorage|Juneau|Sitka|Nome|Metlakatla|Yakutat)|Pacific\/Honolulu)$/, 'na-us-west'],
  [/^America\/Phoenix$/, 'na-us-southwest'],
  [/^America\/(Chicago|Detroit|Menominee|Indiana\/.+|North_Dakota\/.+)$/, 'na-us-midwest'],
  [/^America\/(Kentucky\/.+|Louisville)$/, 'na-us-southeast'],
  [/^America\/New_York$/, 'na-us-northeast'],
  [/^America\/(Belize|Costa_Rica|El_Salvador|Guatemala|Tegucigalpa|Managua|Panama)$/, 'central-america'],
  [/^America\/(Anguilla|Antigua|Aruba|Nassau|Barbados|Kralendijk|Tortola|Cayman|Havana|Curacao|Dominica|Santo_Domingo|Grenada|Guadeloupe|Port-au-Prince|Jamaica|Martinique|Montserrat|Puerto_Rico|St_Barthelemy|St_Kitts|St_Lucia|Marigot|St_Vincent|Lower_Princes|Port_of_Spain|Grand_Turk|St_Thomas)$/, 'caribbean'],
  // South America.
  [/^America\/(Bogota|Caracas|Guyana|Paramaribo|Cayenne)$/, 'sa-north'],
  [/^America\/(Lima|Guayaquil|La_Paz)$/, 'sa-west'],
  [/^America\/(Argentina\/.+|Buenos_Aires|Montevideo|Santiago|Punta_Arenas|Asuncion)$/, 'sa-south'],
  [/^America\/(Sao_Paulo|Bahia|Fortaleza|Recife|Maceio|Belem|Araguaina|Manaus|Cuiaba|Campo_Grande|Porto_Velho|Boa_Vista|Rio_Branco|Eirunepe|Santarem|Noronha)$/, 'sa-brazil'],
  // Europe, by the Console's country lists.
  [/^Europe\/(Berlin|Busingen|Vienna|Zurich|Vaduz|Warsaw|Prague|Bratislava|Budapest|Ljubljana)$/, 'eu-central'],
  [/^Europe\/(Chisinau|Kiev|Kyiv|Uzhgorod|Zaporozhye|Simferopol|Minsk|Vilnius|Riga|Tallinn|Moscow|Kaliningrad|Samara|Volgograd|Kirov|Saratov|Ulyanovsk|Astrakhan)$/, 'eu-east'],
  [/^(Europe\/(Copenhagen|Stockholm|Oslo|Helsinki|Mariehamn)|Atlantic\/Reykjavik)$/, 'eu-north'],
  [/^Europe\/(Tirane|Skopje|Sofia|Bucharest|Belgrade|Podgorica|Sarajevo|Zagreb)$/, 'eu-southeast'],
  [/^Europe\/(Rome|Vatican|San_Marino|Athens)$/, 'eu-south'],
  [/^(Europe\/(Lisbon|Madrid|Andorra)|Atlantic\/(Madeira|Azores|Canary)|Africa\/Ceuta)$/, 'eu-southwest'],
  [/^Europe\/(Paris|Luxembourg|Brussels|Amsterdam|London|Dublin)$/, 'eu-west'],
  // Africa.
  [/^(Africa\/(Maputo|Harare|Lusaka|Blantyre|Dar_es_Salaam|Bujumbura|Kigali|Nairobi|Kampala|Mogadishu|Addis_Ababa|Djibouti|Asmara|Juba))$/, 'af-east'],
  [/^Africa\/(Ndjamena|Bangui|Douala|Malabo|Libreville|Brazzaville|Kinshasa|Lubumbashi|Luanda)$/, 'af-middle'],
  [/^Africa\/(El_Aaiun|Casablanca|Algiers|Tunis|Tripoli|Cairo|Khartoum)$/, 'af-north'],
  [/^Africa\/(Windhoek|Gaborone|Johannesburg|Maseru|Mbabane)$/, 'af-south'],
  [/^Africa\/(Nouakchott|Bamako|Niamey|Lagos|Porto-Novo|Lome|Accra|Ouagadougou|Abidjan|Monrovia|Conakry|Freetown|Bissau|Banjul|Dakar)$/, 'af-west'],
  // Asia.
  [/^Asia\/(Almaty|Qostanay|Qyzylorda|Aqtobe|Aqtau|Atyrau|Oral|Bishkek|Dushanbe|Ashgabat|Tashkent|Samarkand)$/, 'as-central'],
  [/^Asia\/(Shanghai|Urumqi|Tokyo|Pyongyang|Seoul|Ulaanbaatar|Hovd|Choibalsan|Hong_Kong|Macau|Taipei)$/, 'as-east'],
  [/^Asia\/(Yangon|Rangoon|Vientiane|Bangkok|Ho_Chi_Minh|Saigon|Phnom_Penh|Kuala_Lumpur|Kuching|Singapore|Jakarta|Pontianak|Makassar|Jayapura|Dili|Manila)$/, 'as-southeast'],
  [/^(Asia\/(Tehran|Kabul|Karachi|Kolkata|Calcutta|Dhaka|Thimphu|Kathmandu|Katmandu|Colombo)|Indian\/Maldives)$/, 'as-south'],
  [/^(Asia\/(Istanbul|Tbilisi|Yerevan|Baku|Damascus|Beirut|Amman|Jerusalem|Tel_Aviv|Baghdad|Kuwait|Riyadh|Aden|Muscat|Dubai|Qatar|Bahrain|Nicosia|Famagusta|Gaza|Hebron)|Europe\/Istanbul)$/, 'as-west'],
  // Oceania.
  [/^Australia\/.+$/, 'oc-aus'],
  [/^(Pacific\/(Auckland|Chatham)|NZ)$/, 'oc-nz'],
  [/^Pacific\/(Port_Moresby|Bougainville|Nauru|Guadalcanal|Efate|Noumea|Fiji)$/, 'oc-mel'],
  [/^Pacific\/(Palau|Saipan|Guam|Chuuk|Pohnpei|Kosrae|Majuro|Kwajalein|Tarawa|Kanton|Kiritimati)$/, 'oc-mic'],
  [/^Pacific\/(Funafuti|Wallis|Fakaofo|Pago_Pago|Tongatapu|Niue|Rarotonga|Tahiti|Marquesas|Gambier|Pitcairn)$/, 'oc-pol'],
];

/** The region a time zone suggests, always one of LOCATION_REGIONS; null when the zone names none. */
export function suggestRegion(timeZone: string): string | null {
  const code = REGION_BY_ZONE.find(([re]) => re.test(timeZone))?.[1] ?? null;
  return code !== null && isLocationRegion(code) ? code : null;
}

/** Every code the table can suggest (for the test that holds it to the list). */
export const SUGGESTABLE_REGIONS: readonly string[] = [...new Set(REGION_BY_ZONE.map(([, code]) => code))];
