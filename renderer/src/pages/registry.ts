import type { ComponentType } from 'react';
import { DashboardPage } from './dashboard-page.js';
import { ReadinessPage } from './readiness-page.js';
import { OnboardingPage } from './onboarding-page.js';
import { PricingPage } from './pricing-page.js';
import { AvailabilityPage } from './availability-page.js';
import { WalletPage } from './wallet-page.js';
import { LeasesPage } from './leases-page.js';
import { BenchmarksPage } from './benchmarks-page.js';
import { StackPage } from './stack-page.js';
import { DiagnosticsPage } from './diagnostics-page.js';
import { SettingsPage } from './settings-page.js';
import { FleetPage } from './fleet-page.js';

export interface PageEntry {
  /** Stable id; also used as the nav item's test id (`nav-<id>`). */
  id: string;
  /** The nav label and the document title. */
  title: string;
  /** Hash route, `/readiness` or `#/readiness`. Sub-paths (`/leases/123`) land on the same page. */
  path: string;
  component: ComponentType;
  /** One short glyph shown before the title in the nav (the app ships no icon font). */
  icon?: string;
}

/**
 * Every screen of the app, in nav order. The first entry is the default route.
 * To add a screen: write `renderer/src/pages/<name>-page.tsx` and add ONE line here.
 */
export const pages: PageEntry[] = [
  { id: 'dashboard', title: 'Dashboard', path: '/dashboard', component: DashboardPage, icon: '⌂' },
  { id: 'onboarding', title: 'Set up', path: '/onboarding', component: OnboardingPage, icon: '➜' },
  { id: 'readiness', title: 'Readiness', path: '/readiness', component: ReadinessPage, icon: '✓' },
  { id: 'pricing', title: 'Pricing', path: '/pricing', component: PricingPage, icon: '$' },
  { id: 'availability', title: 'Availability', path: '/availability', component: AvailabilityPage, icon: '◐' },
  { id: 'wallet', title: 'Wallet', path: '/wallet', component: WalletPage, icon: '◎' },
  { id: 'leases', title: 'Leases & earnings', path: '/leases', component: LeasesPage, icon: '≡' },
  { id: 'benchmarks', title: 'Benchmarks', path: '/benchmarks', component: BenchmarksPage, icon: '◆' },
  { id: 'stack', title: 'Provider stack', path: '/stack', component: StackPage, icon: '▣' },
  { id: 'diagnostics', title: 'Diagnostics', path: '/diagnostics', component: DiagnosticsPage, icon: '⚕' },
  { id: 'settings', title: 'Settings', path: '/settings', component: SettingsPage, icon: '⚙' },
  { id: 'fleet', title: 'Fleet', path: '/fleet', component: FleetPage, icon: '▦' },
];
