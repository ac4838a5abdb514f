/**
 * @module
 * The console: sign-in gate, first configuration load (loading / error states), then the
 * signed-in frame with its routes. Heavier screens are lazy chunks, so the initial download
 * stays small.
 */
import { useEffect } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { Layout } from './components/Layout';
import { Empty, ErrorBox, Loading } from './components/StatusView';
import { errorText } from './lib/errors';
import { token } from './models/authModel';
import { configError, configStatus, loadConfig } from './models/configModel';
import { lang, t } from './i18n/catalogue';
import { SegmentsScreen } from './screens/SegmentsScreen';
import { SignInScreen } from './screens/SignInScreen';

const SegmentEditScreen = lazy(() => import('./screens/SegmentEditScreen'));
const ScoringScreen = lazy(() => import('./screens/ScoringScreen'));
const CategoriesScreen = lazy(() => import('./screens/CategoriesScreen'));
const ContentScreen = lazy(() => import('./screens/ContentScreen'));
const VariantEditScreen = lazy(() => import('./screens/VariantEditScreen'));
const ExperimentsScreen = lazy(() => import('./screens/ExperimentsScreen'));
const ExperimentEditScreen = lazy(() => import('./screens/ExperimentEditScreen'));
const MembersScreen = lazy(() => import('./screens/MembersScreen'));
const MemberScreen = lazy(() => import('./screens/MemberScreen'));
const PreviewScreen = lazy(() => import('./screens/PreviewScreen'));
const ResultsScreen = lazy(() => import('./screens/ResultsScreen'));
const LiftScreen = lazy(() => import('./screens/LiftScreen'));
const AlertsScreen = lazy(() => import('./screens/AlertsScreen'));
const AlertEditScreen = lazy(() => import('./screens/AlertEditScreen'));
const VocabularyScreen = lazy(() => import('./screens/VocabularyScreen'));
const SettingsScreen = lazy(() => import('./screens/SettingsScreen'));
const ChangesScreen = lazy(() => import('./screens/ChangesScreen'));
const HomeScreen = lazy(() => import('./screens/HomeScreen'));
const ModelsScreen = lazy(() => import('./screens/ModelsScreen'));

function Home() {
  const { route } = useLocation();
  useEffect(() => route('/admin/segments', true), []);
  return null;
}

function NotFound() {
  return <Empty action={<a href="/admin/segments">{t('nav.segments')}</a>}>{t('common.notFound')}</Empty>;
}

function SignedIn() {
  const status = configStatus.value;
  useEffect(() => {
    if (status === 'idle') loadConfig().catch(() => {});
  }, [status]);
  if (status === 'idle' || status === 'loading') return <Loading />;
  if (status === 'error') return <ErrorBox message={errorText(configError.value)} onRetry={() => loadConfig().catch(() => {})} />;
  return (
    <Layout>
      <ErrorBoundary onError={(e) => console.error(e)}>
        <Router>
          <Route path="/admin" component={Home} />
          <Route path="/admin/" component={Home} />
          <Route path="/admin/segments" component={SegmentsScreen} />
          <Route path="/admin/segments/new" component={SegmentEditScreen} />
          <Route path="/admin/segments/:key" component={SegmentEditScreen} />
          <Route path="/admin/scoring" component={ScoringScreen} />
          <Route path="/admin/categories" component={CategoriesScreen} />
          <Route path="/admin/content" component={ContentScreen} />
          <Route path="/admin/content/:slot/:segment" component={VariantEditScreen} />
          <Route path="/admin/experiments" component={ExperimentsScreen} />
          <Route path="/admin/experiments/new" component={ExperimentEditScreen} />
          <Route path="/admin/experiments/:id" component={ExperimentEditScreen} />
          <Route path="/admin/experiments/:id/results" component={ResultsScreen} />
          <Route path="/admin/lift" component={LiftScreen} />
          <Route path="/admin/members" component={MembersScreen} />
          <Route path="/admin/members/:id" component={MemberScreen} />
          <Route path="/admin/preview" component={PreviewScreen} />
          <Route path="/admin/alerts" component={AlertsScreen} />
          <Route path="/admin/alerts/new" component={AlertEditScreen} />
          <Route path="/admin/alerts/:id" component={AlertEditScreen} />
          <Route path="/admin/vocabulary" component={VocabularyScreen} />
          <Route path="/admin/settings" component={SettingsScreen} />
          <Route path="/admin/changes" component={ChangesScreen} />
          <Route path="/admin/home" component={HomeScreen} />
          <Route path="/admin/models" component={ModelsScreen} />
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </Layout>
  );
}

export function App() {
  // Reading lang here re-renders everything on a language switch.
  void lang.value;
  return <LocationProvider scope="/admin">{token.value ? <SignedIn /> : <SignInScreen />}</LocationProvider>;
}
