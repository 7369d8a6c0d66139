/**
 * Akash's provider `location-region` codes, exactly as the Akash Console lists them (akash-network/console
 * config/provider-attributes.json; see README.md here for the commit). Tenants filter providers by
 * these codes, so a region outside the list is one no tenant's filter finds.
 */
export const LOCATION_REGIONS: ReadonlyArray<{ code: string; description: string }> = [
  { code: 'na-ca-west', description: 'North America Canada West coast. Provinces: (BC).' },
  { code: 'na-ca-central', description: 'North America Canada Central. Provinces: (QC, ON).' },
  { code: 'na-ca-prairie', description: 'North America Canada Prairie. Provinces: (AB, SK, MB).' },
  { code: 'na-ca-atlantic', description: 'North America Canada Atlantic. Provinces: (NL, PE, NS, NB).' },
  { code: 'na-ca-north', description: 'North America Canada North. Provinces: (NU, NT, YT).' },
  { code: 'na-us-west', description: 'North America United States of America West. States: (CA, OR, WA, ID, MT, WY, UT, CO, NV, AK, HI)' },
  { code: 'na-us-southwest', description: 'North America United States of America Southwest. States: (AZ, NM, TX, OK)' },
  { code: 'na-us-midwest', description: 'North America United States of America Midwest. States: (ND, SD, NE, KS, MN, IA, MO, WI, IL, MI, IN, OH)' },
  { code: 'na-us-southeast', description: 'North America United States of America Southeast. States: (AR, LA, MS, AL, TN, KY, WV, VA, NC, SC, GA, FL)' },
  { code: 'na-us-northeast', description: 'North America United States of America Northeast. States: (PA, NY, VT, NH, ME, MA, RI, CT, NJ, DE, MD)' },
  { code: 'central-america', description: 'Central America. Countries: (BZ, CR, SV, GT, HN, NI, PA)' },
  { code: 'caribbean', description: 'Caribbean. Countries: (AI, AG, AW, BS, BB, BQ, VG, KY, CU, CW, DM, DO, GD, GP, HT, JM, MQ, MS, VE, PR, BQ, BL, KN, LC, MF, VC, SX, TT, TC, VI)' },
  { code: 'sa-north', description: 'South America North. Countries: (CO, VE, GY, SR, GF)' },
  { code: 'sa-west', description: 'South America West. Countries: (PE, EC, BO)' },
  { code: 'sa-south', description: 'South America South. Countries: (AR, UY, CL, PY)' },
  { code: 'sa-brazil', description: 'South America Brazil.' },
  { code: 'eu-central', description: 'Central Europe. Countries (SI, HU, SK, PL, CZ, AT, CH, DE)' },
  { code: 'eu-east', description: 'Eastern Europe. Countries (MD, UA, BY, LT, LV, EE, RU)' },
  { code: 'eu-north', description: 'Northern Europe. Countries (DK, SE, NO, FI, IS)' },
  { code: 'eu-southeast', description: 'South-eastern Europe. Countries (AL, MK, BG, RO, RS, XK, ME, BA, HR)' },
  { code: 'eu-south', description: 'Southern Europe. Countries (IT, GR)' },
  { code: 'eu-southwest', description: 'South-western Europe. Countries (PT, ES, AD)' },
  { code: 'eu-west', description: 'Western Europe. Countries (FR, LU, BE, NL, GB, IE)' },
  { code: 'af-east', description: 'Eastern Africa. Countries (MZ, ZW, ZM, MW, TZ, BI, RW, KE, UG, SO, ET, DJ, ER, SS)' },
  { code: 'af-middle', description: 'Middle Africa. Countries (TD, CF, CM, GQ, GA, CG, CD, AO)' },
  { code: 'af-north', description: 'Northern Africa. Countries (EH, MA, DZ, TN, LY, EG, SD)' },
  { code: 'af-south', description: 'Southern Africa. Countries (NA, BW, ZA, LS, SZ)' },
  { code: 'af-west', description: 'Western Africa. Countries (MR, ML, NE, NG, BJ, TG, GH, BF, CI, LR, GN, SL, GW, GM, SN)' },
  { code: 'as-central', description: 'Central Asia. Countries (KZ, KG, TJ, TM, UZ)' },
  { code: 'as-east', description: 'Eastern Asia. Countries (CN, JP, KP, KR, MN, HK, MO, TW)' },
  { code: 'as-southeast', description: 'South-eastern Asia. Countries (MM, LA, TH, VN, KH, MY, SG, ID, TL, PH)' },
  { code: 'as-south', description: 'Southern Asia. Countries (IR, AF, PK, IN, BD, BT, NP, LK, MV)' },
  { code: 'as-west', description: 'Western Asia. Countries (TR, GE, AM, AZ, SY, LB, JO, IL, IQ, KW, SA, YE, OM, AE, QA, BH, CY, PS)' },
  { code: 'oc-aus', description: 'Oceania Australia. Countries (AU)' },
  { code: 'oc-nz', description: 'Oceania New Zealand. Countries (NZ)' },
  { code: 'oc-mel', description: 'Oceania Melanesia. Countries (PG, NR, SB, VU, NC, FJ)' },
  { code: 'oc-mic', description: 'Oceania Micronesia. Countries (PW, MP, GU, FM, MH, KI)' },
  { code: 'oc-pol', description: 'Oceania Polynesia. Countries (TV, WF, TK, AS, TO, NU, CK, PF, PN)' },
];

const CODES = new Set(LOCATION_REGIONS.map((r) => r.code));

export function isLocationRegion(code: string): boolean {
  return CODES.has(code);
}
