use super::*;

#[derive(serde::Serialize)]
struct Upload {
    file: File,
    files: Vec<File>,
    title: Option<String>,
    count: i64,
    meta: std::collections::BTreeMap<String, i64>,
}

#[test]
fn a_file_round_trips_as_json_for_mocks_and_logs() {
    let file = File::from("x").file_name("a.txt");
    let json = serde_json::to_value(&file).unwrap();
    assert_eq!(json["file_name"], "a.txt");
    assert_eq!(serde_json::from_value::<File>(json).unwrap(), file);
    // A file's content as JSON gives it.
    let text: File = serde_json::from_value(serde_json::json!("a,b")).unwrap();
    assert_eq!(text.bytes().as_ref(), b"a,b");
    let bytes: File = serde_json::from_value(serde_json::json!([0, 159])).unwrap();
    assert_eq!(bytes.bytes().as_ref(), [0, 159]);
}

#[test]
fn a_field_that_is_not_a_part_is_named() {
    // Tuples are lists; a tuple struct is not.
    #[derive(serde::Serialize)]
    struct Bad {
        pair: (i64, (i64, i64)),
        nested: Vec<Vec<(i64,)>>,
    }
    #[derive(serde::Serialize)]
    struct Worse {
        inner: Inner,
    }
    #[derive(serde::Serialize)]
    struct Inner(i64, i64);
    let error = form(&Worse { inner: Inner(1, 2) }).unwrap_err();
    assert_eq!(error, "field `inner`: a tuple struct cannot be a part");
    assert!(form(&Bad {
        pair: (1, (2, 3)),
        nested: vec![vec![(1,)]]
    })
    .is_ok());
    assert!(form(&5).is_err());
}

#[tokio::test]
async fn every_field_is_a_part_as_openapi_says() {
    let body = Upload {
        file: File::from(vec![0u8, 159, 146, 150])
            .file_name("blob.bin")
            .content_type("image/png"),
        files: vec![File::from("one"), File::from("two")],
        title: None,
        count: 3,
        meta: [("a".to_string(), 1)].into(),
    };
    let form = form(&body).unwrap();
    let boundary = form.boundary().to_string();
    // What goes on the wire, read by a server on loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let end = format!("--{boundary}--");
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 4096];
        while !String::from_utf8_lossy(&bytes).contains(&end) {
            let n = socket.read(&mut buffer).await.unwrap();
            assert!(n > 0, "the request ended early");
            bytes.extend_from_slice(&buffer[..n]);
        }
        socket
            .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        bytes
    });
    let answer = reqwest::Client::new()
        .post(url)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
    let bytes = server.await.unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains(&format!("multipart/form-data; boundary={boundary}")),
        "{text}"
    );
    assert!(
        text.contains("name=\"file\"; filename=\"blob.bin\"\r\nContent-Type: image/png\r\n\r\n"),
        "{text}"
    );
    assert_eq!(text.matches("name=\"files\"").count(), 2, "{text}");
    assert!(!text.contains("name=\"title\""), "{text}");
    assert!(text.contains("name=\"count\"\r\n\r\n3\r\n"), "{text}");
    assert!(
        text.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"),
        "{text}"
    );
}
