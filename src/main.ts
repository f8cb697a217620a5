import { mount } from 'svelte';
import App from './App.svelte';
import './ui/styles/app.scss';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
mount(App, { target });

// Offline after the first load: precache the whole static app (built site only).
if (import.meta.env.PROD && 'serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
    console.warn('offline support unavailable:', e);
  });
}
