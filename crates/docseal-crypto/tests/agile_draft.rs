//! The draft path of a new Agile descriptor (random values first, spin loop later, as the
//! encrypting facade uses it to derive the key beside the package's encryption) gives what the
//! one-step constructor gives, and its placeholder has the final size.
#![allow(clippy::unwrap_used)]

use docseal_crypto::{
    agile_stream, new_password_info, AgileDraft, AgileProfile, HashAlgorithm, Password, Rng,
};

fn profile() -> AgileProfile {
    AgileProfile {
        spin_count: 1000,
        ..AgileProfile::default()
    }
}

#[test]
fn draft_then_finish_equals_the_one_step_constructor() {
    let password = Password::new("pässwörd");
    let (info, secrets) =
        new_password_info(&profile(), &password, &mut Rng::seeded_for_tests(11)).unwrap();
    let mut draft = AgileDraft::new(&profile(), true, &mut Rng::seeded_for_tests(11)).unwrap();
    let placeholder = draft.info.clone();
    let pending = draft.pending_password.take().unwrap();
    let encryptor = pending.finish(&password, &draft.secrets.key).unwrap();
    draft.info.replace_password_encryptor(encryptor);
    // Same random values drawn in the same order, so the same descriptor and keys.
    assert_eq!(draft.info, info);
    assert_eq!(*draft.secrets.key, *secrets.key);
    assert_eq!(*draft.secrets.hmac_key, *secrets.hmac_key);
    // The layout is planned from the placeholder, which must serialize to the final length
    // without being the final encryptor.
    assert_ne!(placeholder, info);
    assert_eq!(agile_stream(&placeholder).len(), agile_stream(&info).len());
    let key = info
        .password_encryptor()
        .unwrap()
        .unlock(&info.key_data, &password, 1000)
        .unwrap();
    assert_eq!(*key, *secrets.key);
}

#[test]
fn placeholder_has_the_final_size_for_every_profile() {
    for (key_bits, hash) in [
        (128, HashAlgorithm::Sha1),
        (192, HashAlgorithm::Sha256),
        (256, HashAlgorithm::Sha384),
        (256, HashAlgorithm::Sha512),
    ] {
        let profile = AgileProfile {
            key_bits,
            hash,
            spin_count: 10,
            ..AgileProfile::default()
        };
        let draft = AgileDraft::new(&profile, true, &mut Rng::os()).unwrap();
        let before = agile_stream(&draft.info).len();
        let (info, _) = draft.finish(Some(&Password::new("pw"))).unwrap();
        assert_eq!(before, agile_stream(&info).len(), "{key_bits} {hash:?}");
    }
}

#[test]
fn a_draft_and_its_password_must_agree() {
    let draft = AgileDraft::new(&profile(), true, &mut Rng::os()).unwrap();
    assert!(draft.finish(None).is_err());
    let draft = AgileDraft::new(&profile(), false, &mut Rng::os()).unwrap();
    assert!(draft.finish(Some(&Password::new("pw"))).is_err());
}
