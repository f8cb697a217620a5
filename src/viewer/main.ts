/**
 * Entry of the read-only viewer inlined into every shared bundle: reads the bundle JSON from
 * its own page, checks its integrity, and renders the same report pages as the app.
 */
import { mount } from 'svelte';
import Viewer from './Viewer.svelte';
import '../ui/styles/app.scss';
import { readEmbeddedBundle } from './embedded.ts';

// GOV.UK Frontend styles enhanced components (tabs) only when this class is present.
document.body.classList.add('govuk-template__body', 'govuk-frontend-supported');
const target = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
target.textContent = '';
mount(Viewer, { target, props: { loaded: readEmbeddedBundle(document) } });
