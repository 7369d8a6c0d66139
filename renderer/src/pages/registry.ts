import { createElement, lazy, Suspense, type ComponentType } from 'react';
import { DashboardPage } from './dashboard-page.js';

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
 * Each screen is its own chunk, fetched when first opened: the first screen loads the shell and
 * one page, not all twelve. The Dashboard, where a set-up rig lands, comes with the shell: its
 * first call then leaves with the shell's own, instead of after one more chunk and render.
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ComponentType {
  const Lazy = lazy(async () => ({ default: (await load())[name] }));
  return function LazyPage() {
    // While the screen's chunk loads the person sees it is coming (the same placeholder a screen shows while its data loads), not an empty area.
    const loading = createElement('div', { className: 'page', 'aria-busy': true }, createElement('div', { className: 'skeleton skeleton-block' }));
    return createElement(Suspense, { fallback: loading }, createElement(Lazy));
  };
}

/**
 * Every screen of the app, in nav order. The first entry is the default route.
 * To add a screen: write `renderer/src/pages/<name>-page.tsx` and add ONE line here.
 */
export const pages: PageEntry[] = [
  { id: 'dashboard', title: 'Dashboard', path: '/dashboard', component: DashboardPage, icon: '⌂' },
  { id: 'onboarding', title: 'Set up', path: '/onboarding', component: page(() => import('./onboarding-page.js'), 'OnboardingPage'), icon: '➜' },
  { id: 'readiness', title: 'Readiness', path: '/readiness', component: page(() => import('./readiness-page.js'), 'ReadinessPage'), icon: '✓' },
  { id: 'pricing', title: 'Pricing', path: '/pricing', component: page(() => import('./pricing-page.js'), 'PricingPage'), icon: '$' },
  { id: 'orders', title: 'Orders', path: '/orders', component: page(() => import('./orders-page.js'), 'OrdersPage'), icon: '⇄' },
  { id: 'availability', title: 'Availability', path: '/availability', component: page(() => import('./availability-page.js'), 'AvailabilityPage'), icon: '◐' },
  { id: 'wallet', title: 'Wallet', path: '/wallet', component: page(() => import('./wallet-page.js'), 'WalletPage'), icon: '◎' },
  { id: 'leases', title: 'Leases & earnings', path: '/leases', component: page(() => import('./leases-page.js'), 'LeasesPage'), icon: '≡' },
  { id: 'benchmarks', title: 'Benchmarks', path: '/benchmarks', component: page(() => import('./benchmarks-page.js'), 'BenchmarksPage'), icon: '◆' },
  { id: 'stack', title: 'Provider stack', path: '/stack', component: page(() => import('./stack-page.js'), 'StackPage'), icon: '▣' },
  { id: 'diagnostics', title: 'Diagnostics', path: '/diagnostics', component: page(() => import('./diagnostics-page.js'), 'DiagnosticsPage'), icon: '⚕' },
  { id: 'settings', title: 'Settings', path: '/settings', component: page(() => import('./settings-page.js'), 'SettingsPage'), icon: '⚙' },
  { id: 'fleet', title: 'Fleet', path: '/fleet', component: page(() => import('./fleet-page.js'), 'FleetPage'), icon: '▦' },
];
